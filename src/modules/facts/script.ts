// The one POSIX sh script `setup` runs on a host: everything the facts need, printed in a
// single round trip (no python, nothing written). parse.ts reads its output.
//
// Output: sections, each introduced by a line `@@runbook-facts <name>`. The `kv` section holds
// `key=value` lines (single-line values); the other sections are files or command output
// copied as is. A command that is missing or fails leaves its key empty or its section empty;
// stderr is discarded so nothing but these sections reaches stdout.

import { quote } from '../../connection/quote.js';
import { PYTHONS } from '../support/python.js';
import { DMI_FILES } from './system-extra.js';

/** the address Ansible asks the IPv6 route to (ipv6.google.com's) */
export const IPV6_TARGET = '2404:6800:400a:800::1012';

export const SECTION_MARK = '@@runbook-facts ';

/** ansible_python as Ansible's python facts read it (sys.executable, not the path that found it) */
const PY_FACTS = [
  'import sys',
  'try:',
  '    from ssl import create_default_context, SSLContext',
  '    s = True',
  'except ImportError:',
  '    s = False',
  't = getattr(sys, "subversion", [None])[0] or getattr(getattr(sys, "implementation", None), "name", "")',
  'print("python_version=" + " ".join(map(str, tuple(sys.version_info)[:5])))',
  'print("python_executable=" + sys.executable)',
  'print("python_sslcontext=" + str(s))',
  'print("python_type=" + str(t))',
  'import os, platform, time',
  'print("userspace_bits=" + platform.architecture()[0].replace("bit", ""))',
  'print("tz_dst=" + time.tzname[1])',
  'print("loadavg=%r %r %r" % os.getloadavg())',
  'try:',
  '    import ctypes',
  '    ctypes.CDLL("libselinux.so.1")',
  '    print("selinux_python=True")',
  'except Exception:',
  '    print("selinux_python=False")',
].join('\n');

/** The script; `python`: ansible_python_interpreter when set (else Ansible's discovery order, support/python.ts). */
export function factsScript(python?: string): string {
  return `rb_py=${quote(python ?? '')}\n${FACTS_SCRIPT}`;
}

const FACTS_SCRIPT = String.raw`exec 2>/dev/null
rb_env="$(awk 'BEGIN { for (k in ENVIRON) { v = ENVIRON[k]; gsub(/%/, "%25", v); gsub(/\n/, "%0A", v); print k "=" v } }')"
LC_ALL=C; export LC_ALL
PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; export PATH
s() { printf '\n@@runbook-facts %s\n' "$1"; }
kv() { printf '%s=%s\n' "$1" "$2"; }
has() { command -v "$1" >/dev/null 2>&1; }
s kv
kv system "$(uname -s)"
kv kernel "$(uname -r)"
kv kernel_version "$(uname -v)"
kv machine "$(uname -m)"
kv nodename "$(uname -n)"
# socket.getfqdn(): the node name's first address, then that address's names (facts/system-extra.ts)
if has getent; then
  if has timeout; then to="timeout 5"; else to=; fi
  a="$($to getent ahosts "$(uname -n)" | awk 'NR == 1 { print $1 }')"
  [ -n "$a" ] && kv fqdn_reverse "$($to getent hosts "$a" | head -n 1)"
fi
kv cpuinfo_processors "$(grep -c '^processor' /proc/cpuinfo)"
kv cpuinfo_sockets "$(grep '^physical id' /proc/cpuinfo | sort -u | wc -l)"
kv cpuinfo_cores "$(grep -m1 '^cpu cores' /proc/cpuinfo | cut -d: -f2)"
kv cpuinfo_siblings "$(grep -m1 '^siblings' /proc/cpuinfo | cut -d: -f2)"
has nproc && kv nproc "$(nproc)"
kv date "$(date '+%Y-%m-%d|%H:%M:%S|%s|%Z|%z|%w|%A|%W|%N')"
kv uptime "$(cat /proc/uptime)"
if [ -n "$rb_py" ]; then py="$rb_py"; else
  for p in ${PYTHONS.join(' ')}; do py="$(command -v "$p")" && break; py=; done
fi
[ -n "$py" ] && kv python_found "$py" && "$py" -c '${PY_FACTS}'
kv uid "$(id -u)"
kv gid "$(id -g)"
kv ruid "$(id -ru)"
kv rgid "$(id -rg)"
[ -e /sys/kernel/security/apparmor ] && kv apparmor yes
kv debian_chroot "$debian_chroot"
kv roots "$(stat -c '%d:%i' / /proc/1/root/. | tr '\n' ' ')"
kv root_fs "$(stat -f -c %T /)"
kv user "$(id -un)"
if has getent; then kv passwd "$(getent passwd "$(id -u)" | head -n 1)"
else kv passwd "$(grep "^[^:]*:[^:]*:$(id -u):" /etc/passwd | head -n 1)"; fi
kv home "$HOME"
kv shell "$SHELL"
[ -d /run/systemd/system ] && kv systemd yes
kv pid1 "$(cat /proc/1/comm)"
{ [ -x /sbin/openrc ] || [ -x /sbin/openrc-run ]; } && kv openrc yes
kv pkg "$(for p in apt-get dnf5 dnf yum zypper pacman apk; do has "$p" && printf '%s ' "$p"; done)"
kv machine_id "$(cat /etc/machine-id || cat /var/lib/dbus/machine-id)"
kv fips "$(cat /proc/sys/crypto/fips_enabled)"
kv debian_version "$(cat /etc/debian_version)"
has ip && kv ip yes
s os-release
cat /etc/os-release || cat /usr/lib/os-release
s meminfo
grep -E '^(MemTotal|MemFree|MemAvailable|Buffers|Cached|SwapTotal|SwapFree|SwapCached):' /proc/meminfo
s route-get
has ip && ip -4 route get 1.1.1.1
s addresses
has ip && ip -4 -o addr show
s proc-route
cat /proc/net/route
s local-addresses
has ip || awk '/\|--/ { a = $2 } /\/32 host LOCAL/ { print a }' /proc/net/fib_trie | sort -u
s interfaces
for d in /sys/class/net/*; do
  [ -e "$d" ] || continue
  mac=; mtu=
  read -r mac < "$d/address"
  read -r mtu < "$d/mtu"
  printf '%s %s %s\n' "$d" "$mac" "$mtu"
done
s addresses6
has ip && ip -6 -o addr show
s links
for d in /sys/class/net/*; do
  [ -e "$d" ] || continue
  t=; f=; mac=; mtu=; k=-
  read -r t < "$d/type"; read -r f < "$d/flags"; read -r mac < "$d/address"; read -r mtu < "$d/mtu"
  [ -d "$d/bridge" ] && k=bridge
  [ -d "$d/bonding" ] && k=bonding
  printf '%s %s %s %s %s %s\n' "$(basename "$d")" "$t" "$f" "$k" "$mac" "$mtu"
done
s mounts
cat /proc/mounts
s mount-stats
if has stat; then
  while read -r dev mnt rest; do
    case "$dev" in /*|*:/*) ;; *) continue ;; esac
    case "$mnt" in *\\*) continue ;; esac
    if has timeout; then st=$(timeout 5 stat -f -c '%S %b %f %a %c %d' "$mnt"); else st=$(stat -f -c '%S %b %f %a %c %d' "$mnt"); fi
    [ -n "$st" ] && printf '%s %s\n' "$st" "$mnt"
  done < /proc/mounts
fi
s uuids
for l in /dev/disk/by-uuid/*; do [ -L "$l" ] && printf '%s %s\n' "$(basename "$l")" "$(readlink -f "$l")"; done
s selinux
if [ -e /sys/fs/selinux/enforce ]; then
  printf 'enforce=%s\npolicyvers=%s\n' "$(cat /sys/fs/selinux/enforce)" "$(cat /sys/fs/selinux/policyvers)"
  grep -E '^SELINUX(TYPE)?=' /etc/selinux/config
fi
s virt
[ -e /.dockerenv ] && echo dockerenv=yes
[ -e /run/.containerenv ] && echo containerenv=yes
echo "cgroup1=$(tr '\n' ' ' < /proc/1/cgroup)"
echo "container=$(tr '\0' '\n' < /proc/1/environ | sed -n 's/^container=//p' | head -n 1)"
echo "product=$(cat /sys/class/dmi/id/product_name)"
echo "vendor=$(cat /sys/class/dmi/id/sys_vendor)"
has systemd-detect-virt && echo "detect=$(systemd-detect-virt)"
[ -r /proc/xen/capabilities ] && grep -q control_d /proc/xen/capabilities && echo xen=yes
grep -q '^kvm ' /proc/modules && echo kvm_module=yes
s env
printf '%s\n' "$rb_env"
s cmdline
cat /proc/cmdline
s lsb-bin
has lsb_release && lsb_release -a
s lsb-file
cat /etc/lsb-release
s resolv
cat /etc/resolv.conf
s loadavg
cat /proc/loadavg
s cpuinfo
grep -E '^(model name|Processor|vendor_id|cpu|Vendor|processor)[[:space:]]*:' /proc/cpuinfo
s dmi
if [ -e /sys/devices/virtual/dmi/id/product_name ]; then
  for f in ${DMI_FILES.join(' ')}; do printf '%s=%s\n' "$f" "$(tr -d '\n' < "/sys/devices/virtual/dmi/id/$f")"; done
fi
s route6-get
has ip && ip -6 route get ${IPV6_TARGET}
s ssh-keys
for t in dsa rsa ecdsa ed25519; do
  for d in /etc/ssh /etc/openssh /etc; do [ -r "$d/ssh_host_$t"_key.pub ] && { printf '%s ' "$t"; head -n 1 "$d/ssh_host_$t"_key.pub; break; }; done
done
s storage
kv hostnqn "$(cat /etc/nvme/hostnqn)"
kv iscsi_iqn "$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi | head -n 1)"
for f in /sys/class/fc_host/*/port_name; do [ -r "$f" ] && kv wwn "$(cat "$f")"; done
has vgs || kv lvm N/A
if has capsh; then capsh --print | sed -n 's/^Current:/caps=/p'; fi
s facts.d
if [ -d /etc/ansible/facts.d ]; then
  echo present
  for f in /etc/ansible/facts.d/*.fact; do
    [ -f "$f" ] || continue
    printf '\n@@runbook-fact %s\n' "$(basename "$f" .fact)"
    if [ -x "$f" ]; then "$f"; else cat "$f"; fi
  done
fi
s end
`;
