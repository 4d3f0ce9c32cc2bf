// The one sh script service_facts runs: the same tools, picked by the same rules and run with
// the same arguments as ansible-core 2.14's service_facts (ServiceScanService, then
// SystemctlScanService), each tool's output between markers, its exit status in the end marker.
// parse.ts turns the sections into Ansible's dicts. Nothing is changed on the host.

export const MARK = '@@rb-services ';

/** The names systemd's list-units gives, as Ansible reads them (a bad state shifts the columns: the "●" column). */
const UNIT_NAMES = `awk '/\\.service/ { s = 0; for (i = 1; i <= NF; i++) if ($i == "not-found" || $i == "masked" || $i == "failed") s = 1; print $(1 + s) }'`;

export const SERVICES_SCRIPT = String.raw`PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin"; export PATH
LANG=C; LC_ALL=C; export LANG LC_ALL
m() { printf '\n${MARK}%s\n' "$*"; }
bin() { command -v "$1" 2>/dev/null; }
service=$(bin service); chkconfig=$(bin chkconfig); initctl=$(bin initctl); rcstatus=$(bin rc-status); rcupdate=$(bin rc-update)
if [ -n "$service" ] && [ -z "$chkconfig" ] && [ -z "$rcstatus" ]; then
  m sysv; "$service" --status-all 2>/dev/null; rc=$?; [ -d /etc/init.d ] && d=1 || d=0; m end "$rc" "$d"
fi
if [ -n "$initctl" ] && [ -z "$chkconfig" ]; then
  m upstart; "$initctl" list 2>/dev/null; m end $?
elif [ -n "$chkconfig" ]; then
  full='[[:space:]]+[0-9]:(on|off)[[:space:]]+[0-9]:(on|off)[[:space:]]+[0-9]:(on|off)[[:space:]]+[0-9]:(on|off)[[:space:]]+[0-9]:(on|off)[[:space:]]+[0-9]:(on|off)[[:space:]]+[0-9]:(on|off)'
  out=$("$chkconfig" 2>/dev/null)
  if ! printf '%s\n' "$out" | grep -Eq "$full"; then
    if printf '%s\n' "$out" | grep -Eq '[[:space:]]+(on|off)'; then out=$("$chkconfig" -l --allservices 2>/dev/null)
    elif "$chkconfig" 2>&1 >/dev/null | grep -q -- '--list'; then out=$("$chkconfig" --list 2>/dev/null); fi
  fi
  m chkconfig; printf '%s\n' "$out"
  m chkconfig-status
  printf '%s\n' "$out" | grep -E "^.*$full" | while read -r name rest; do
    err=$("$service" "$name" status 2>&1 >/dev/null); rc=$?
    case "$err" in *[Rr][Oo][Oo][Tt]*|*[Pp][Ee][Rr][Mm][Ii][Ss][Ss][Ii][Oo][Nn]*|*'not in sudoers'*) p=1 ;; *) p=0 ;; esac
    printf '%s %s %s\n' "$name" "$rc" "$p"
  done
  m end 0
elif [ -n "$rcstatus" ] && [ -n "$rcupdate" ]; then
  m openrc; "$rcstatus" -a -s -m 2>&1 | grep '^ ' | tr -d '[]'
  m openrc-runlevels; "$rcupdate" show -v 2>&1 | grep '|'
  m end 0
fi
if grep -q systemd /proc/1/comm 2>/dev/null; then
  sc=
  for d in /usr/bin /usr/local/bin; do [ -f "$d/systemctl" ] && [ -x "$d/systemctl" ] && { sc=$d/systemctl; break; }; done
  [ -n "$sc" ] || sc=$(bin systemctl)
  if [ -n "$sc" ]; then
    units=$("$sc" list-units --no-pager --type service --all 2>/dev/null); urc=$?
    m systemd-units; printf '%s\n' "$units"; m end "$urc"
    files=$("$sc" list-unit-files --no-pager --type service --all 2>/dev/null); frc=$?
    m systemd-unit-files; printf '%s\n' "$files"; m end "$frc"
    known=$( [ "$urc" = 0 ] && printf '%s\n' "$units" | ${UNIT_NAMES})
    m systemd-show
    [ "$frc" = 0 ] && printf '%s\n' "$files" | awk '/\.service/ { print $1 }' | while read -r u; do
      printf '%s\n' "$known" | grep -qxF -- "$u" && continue
      out=$("$sc" show "$u" --property=ActiveState 2>/dev/null); printf '%s %s %s\n' "$u" "$?" "$out"
    done
    m end 0
  fi
fi
m done
`;
