// The member list's sign of a publish (etcd_health's lost_publish_after): a member that has not
// published itself is listed without a name and without client URLs.
import { describe, expect, it } from 'vitest';
import { listedAsPublished } from '../../../src/modules/etcd/health.js';

const list = (members: object[]): string => JSON.stringify({ header: { cluster_id: 1 }, members });

describe('listedAsPublished', () => {
  const url = 'http://127.0.93.3:2379';
  it('a member with its name and this client URL is published', () => {
    expect(listedAsPublished(list([{ ID: 1, name: 'etcd3', peerURLs: ['http://127.0.93.3:2380'], clientURLs: [url] }]), url)).toBe(true);
    expect(listedAsPublished(list([{ ID: 1, name: 'etcd3', clientURLs: [`${url}/`] }]), url)).toBe(true);
  });
  it('an unstarted member (no name, no client URLs) is not', () => {
    expect(listedAsPublished(list([{ ID: 1, peerURLs: ['http://127.0.93.3:2380'], isLearner: true }]), url)).toBe(false);
    expect(listedAsPublished(list([{ ID: 1, name: '', clientURLs: [url] }]), url)).toBe(false);
  });
  it("another member's URL, or no answer, is not", () => {
    expect(listedAsPublished(list([{ ID: 2, name: 'etcd1', clientURLs: ['http://127.0.93.1:2379'] }]), url)).toBe(false);
    expect(listedAsPublished('', url)).toBe(false);
    expect(listedAsPublished('not json', url)).toBe(false);
  });
});
