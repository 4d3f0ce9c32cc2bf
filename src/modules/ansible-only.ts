// Well-known Ansible modules runbook does not build in. They run through Ansible's module code
// when ansible-core is installed (modules/ansible/); without it, a task using one gets "not
// built in; install ansible-core" instead of "unknown module".
// docs/modules.md lists these (scripts/gen-module-docs.mjs reads this file's strings).

export const ANSIBLE_ONLY: readonly string[] = [
  // packages
  'apt_key',
  'apt_repository',
  'deb822_repository',
  'dnf',
  'dnf5',
  'yum',
  'yum_repository',
  'pip',
  'gem',
  'npm',
  'snap',
  'flatpak',
  'homebrew',
  'pacman',
  'zypper',
  'apk',
  'rpm_key',
  'dpkg_selections',
  'debconf',
  // users and access
  'authorized_key',
  'known_hosts',
  'pam_limits',
  'sudoers',
  'seboolean',
  'selinux',
  'sefcontext',
  // files and content
  'ini_file',
  'xml',
  'archive',
  'patch',
  'acl',
  'iso_extract',
  'git',
  'subversion',
  'csvfile',
  // system
  'cron',
  'cronvar',
  'mount',
  'sysctl',
  'hostname',
  'timezone',
  'locale_gen',
  'modprobe',
  'sysvinit',
  'open_iscsi',
  'lvg',
  'lvol',
  'filesystem',
  'parted',
  'capabilities',
  'alternatives',
  'make',
  'kernel_blacklist',
  'osx_defaults',
  // network and firewall
  'ufw',
  'firewalld',
  'iptables',
  'nmcli',
  'interfaces_file',
  'wait_for_connection',
  'ping',
  'listen_ports_facts',
  // execution
  'script',
  'expect',
  'gather_facts',
  'shutdown',
  // playbook structure (not modules in runbook)
  'include_role',
  'import_role',
  'include',
  'import_playbook',
  'set_stats',
  // containers and clouds
  'docker_container',
  'docker_image',
  'docker_network',
  'docker_volume',
  'docker_compose',
  'docker_compose_v2',
  'docker_login',
  'podman_container',
  'podman_image',
  'k8s',
  'k8s_info',
  'helm',
  'ec2_instance',
  'ec2',
  's3_object',
  'aws_s3',
  'gcp_compute_instance',
  'azure_rm_virtualmachine',
  'openstack.cloud.server',
  'lxc_container',
  'lxd_container',
  'virt',
  'vmware_guest',
  // databases
  'mysql_db',
  'mysql_user',
  'postgresql_db',
  'postgresql_user',
  'postgresql_query',
  'redis',
  'mongodb_user',
  // misc
  'mail',
  'slack',
  'htpasswd',
  'openssl_certificate',
  'openssl_privatekey',
  'openssl_csr',
  'x509_certificate',
  'java_keystore',
  'dconf',
  'gconftool2',
  'etcd3',
];

const SET = new Set(ANSIBLE_ONLY);
const PREFIXES = [
  'win_',
  'ansible.windows.',
  'community.',
  'amazon.',
  'azure.',
  'google.',
  'kubernetes.',
  'containers.',
  'cisco.',
  'arista.',
  'junipernetworks.',
  'vmware.',
  'openstack.',
];

/** Name without the collection prefix (ansible.builtin.x, ansible.posix.x, community.general.x). */
function shortName(name: string): string {
  const parts = name.split('.');
  return parts.length === 3 ? parts[2]! : name;
}

/** ansible.builtin modules that ansible-core 2.14 does not have yet, with the release that added them. */
const NEWER_CORE: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, { deb822_repository: '2.15' }),
);

export function newerCoreModule(name: string): string | undefined {
  const bare = name.replace(/^ansible\.(builtin|legacy)\./, '');
  return bare.includes('.') ? undefined : NEWER_CORE[bare];
}

export function isAnsibleOnly(name: string): boolean {
  if (SET.has(name) || SET.has(shortName(name))) return true;
  return PREFIXES.some((p) => name.startsWith(p)) || shortName(name).startsWith('win_');
}
