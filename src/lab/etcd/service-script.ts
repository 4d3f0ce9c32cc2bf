// The member's service script: what systemd would be on a real host, as a small POSIX sh
// script the recovery playbook drives over SSH (etcd_service_manager: command).
//   start    read etcd.env, start etcd detached (setsid, nohup), pid in etcd.pid; returns at
//            once: a member without quorum is never healthy, so start does not wait for it
//   stop     TERM, up to 10 s, then KILL; ok when not running
//   status   exit 0 running, 3 stopped (LSB)
//   restart  stop then start
import { quote } from '../../connection/quote.js';
import type { LabMember } from './model.js';
import { etcdOf } from './versions.js';

// The parts every lab service script shares (this one and static-pod.ts's): how it tells that
// etcd runs (PID_FILE and ETCD_BIN set above them), LSB status, and the dispatch on $1.
/** running: the pid file names a live etcd */
export const RUNNING = `# running: the pid file names a live etcd (a zombie or a reused pid has another or no exe)
running() {
  [ -s "$PID_FILE" ] || return 1
  pid=$(cat "$PID_FILE" 2>/dev/null)
  [ -n "$pid" ] || return 1
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$ETCD_BIN" ]
}
`;

/** status (exit 0 running, 3 stopped) and the dispatch of start|stop|status|restart */
export const STATUS_AND_DISPATCH = `status() {
  if running; then echo "$NAME: running (pid $pid)"; return 0; fi
  echo "$NAME: stopped"
  return 3
}

case "$1" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  restart) stop && start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
`;

export function serviceScriptText(m: LabMember): string {
  return `#!/bin/sh
# etcd service of lab member ${m.name} (etcd ${etcdOf(m).version}), written by runbook lab.
# usage: etcd-service start|stop|status|restart
NAME=${quote(m.name)}
ENV_FILE=${quote(m.envFile)}
PID_FILE=${quote(m.pidFile)}
LOG_FILE=${quote(m.logFile)}
ETCD_BIN=${quote(etcdOf(m).bin)}

${RUNNING}
# exited: the pid file names a process that is gone (or a zombie)
exited() {
  [ -s "$PID_FILE" ] || return 1
  pid=$(cat "$PID_FILE" 2>/dev/null)
  [ -n "$pid" ] && ! readlink "/proc/$pid/exe" >/dev/null 2>&1
}

start() {
  if running; then echo "$NAME: already running (pid $pid)"; return 0; fi
  if [ ! -r "$ENV_FILE" ]; then echo "$NAME: $ENV_FILE not readable" >&2; return 6; fi
  rm -f "$PID_FILE"
  logged=$(wc -c <"$LOG_FILE" 2>/dev/null || echo 0)
  (
    set -a
    . "$ENV_FILE"
    set +a
    # the inner sh writes its own pid, then becomes etcd: the pid file holds etcd's pid
    exec setsid nohup sh -c 'echo $$ > "$1"; exec "$2"' etcd-service "$PID_FILE" "$ETCD_BIN" </dev/null >>"$LOG_FILE" 2>&1
  ) &
  i=0
  while ! running && ! exited && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  # a bad data dir makes etcd exit within moments: look once more before saying "started"
  running && sleep 0.3
  if running; then echo "$NAME: started (pid $pid)"; return 0; fi
  # what this start logged: etcd's fatal line when there is one, else the last lines
  reason=$(tail -c +$((logged + 1)) "$LOG_FILE" | grep -E '^panic: |"level":"(fatal|panic)"' | tail -n 1)
  [ -n "$reason" ] || reason=$(tail -c +$((logged + 1)) "$LOG_FILE" | tail -n 3)
  echo "$NAME: etcd did not start (see $LOG_FILE): $reason" >&2
  return 1
}

stop() {
  if ! running; then rm -f "$PID_FILE"; echo "$NAME: not running"; return 0; fi
  kill -TERM "$pid" 2>/dev/null
  i=0
  while running && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  if running; then
    kill -KILL "$pid" 2>/dev/null
    i=0
    while running && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  fi
  if running; then echo "$NAME: pid $pid survived KILL" >&2; return 1; fi
  rm -f "$PID_FILE"
  echo "$NAME: stopped"
}

${STATUS_AND_DISPATCH}`;
}
