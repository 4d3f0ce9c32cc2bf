// The filter registry: `{{ value | name(args) }}`.
import type { FilterSpec } from './env.js';
import { CORE_FILTERS } from './filters-core.js';
import { DATA_FILTERS } from './filters-data.js';
import { LIST_FILTERS } from './filters-lists.js';
import { ANSIBLE_FILTERS } from './filters-ansible.js';
import { IP_FILTERS } from './filters-ip.js';

export const FILTERS: Readonly<Record<string, FilterSpec>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, FilterSpec>, CORE_FILTERS, LIST_FILTERS, DATA_FILTERS, ANSIBLE_FILTERS, IP_FILTERS),
);
