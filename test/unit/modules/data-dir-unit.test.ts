// The unit source of the effective data dir follows the unit's environment as systemd does:
// Environment=, EnvironmentFile= (with `-`, and specifiers such as %p) over it, and a
// --data-dir=${ETCD_DATA_DIR} or $DAEMON_ARGS in ExecStart resolved from both. The texts are
// Debian's own etcd.service (etcd-server 3.4) and the files operators put beside it.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveDataDir, parseSources } from '../../../src/modules/etcd/data-dir.js';
import { unitDataDir } from '../../../src/modules/etcd/unit-env.js';
import type { Connection } from '../../../src/connection/types.js';
import { cleanup, makeCtx } from './context.js';

// /lib/systemd/system/etcd.service from Debian bookworm's etcd-server, as shipped
const DEBIAN_UNIT = `[Unit]
Description=etcd - highly-available key value store
Documentation=https://etcd.io/docs
Documentation=man:etcd
After=network.target
Wants=network-online.target

[Service]
Environment=DAEMON_ARGS=
Environment=ETCD_NAME=%H
Environment=ETCD_DATA_DIR=/var/lib/etcd/default
EnvironmentFile=-/etc/default/%p
Type=notify
User=etcd
PermissionsStartOnly=true
#ExecStart=/bin/sh -c "GOMAXPROCS=$(nproc) /usr/bin/etcd $DAEMON_ARGS"
ExecStart=/usr/bin/etcd $DAEMON_ARGS
Restart=on-abnormal
#RestartSec=10s
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
Alias=etcd2.service
`;
const DEBIAN_DEFAULT = `## etcd(1) daemon options
## See "/usr/share/doc/etcd-server/op-guide/configuration.md.gz"
## for available options.
##
## Use environment to override, for example: ETCD_NAME=default
`;

const files = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o));

describe('the unit source follows the unit environment', () => {
  it("Debian's unit: Environment= alone, then /etc/default/%p over it", () => {
    expect(unitDataDir(DEBIAN_UNIT, files({}))).toEqual({ dir: '/var/lib/etcd/default', via: 'ETCD_DATA_DIR (Environment=)' });
    expect(unitDataDir(DEBIAN_UNIT, files({ '-/etc/default/%p': DEBIAN_DEFAULT }))?.dir).toBe('/var/lib/etcd/default');
    const moved = DEBIAN_DEFAULT + 'ETCD_DATA_DIR="/srv/etcd/data"\n';
    expect(unitDataDir(DEBIAN_UNIT, files({ '-/etc/default/%p': moved }))).toEqual({
      dir: '/srv/etcd/data',
      via: 'ETCD_DATA_DIR (EnvironmentFile /etc/default/%p)',
    });
    // DAEMON_ARGS from the env file is split into ExecStart's words; its --data-dir wins
    const args = DEBIAN_DEFAULT + 'ETCD_DATA_DIR=/srv/a\nDAEMON_ARGS="--name m1 --data-dir /srv/b"\n';
    expect(unitDataDir(DEBIAN_UNIT, files({ '-/etc/default/%p': args }))).toEqual({
      dir: '/srv/b',
      via: '--data-dir (EnvironmentFile /etc/default/%p)',
    });
  });

  it('--data-dir=${ETCD_DATA_DIR} resolves from the EnvironmentFile, later files over earlier ones, an empty one resets', () => {
    const unit = [
      '[Service]',
      'Environment="ETCD_DATA_DIR=/var/lib/etcd" "ETCD_NAME=m1"',
      'EnvironmentFile=/etc/etcd/base.env',
      'EnvironmentFile=-/etc/etcd/local.env',
      'ExecStart=/usr/local/bin/etcd --name ${ETCD_NAME} --data-dir=${ETCD_DATA_DIR}',
    ].join('\n');
    expect(unitDataDir(unit, files({}))).toEqual({ dir: '/var/lib/etcd', via: '--data-dir (Environment=)' });
    expect(unitDataDir(unit, files({ '/etc/etcd/base.env': 'ETCD_DATA_DIR=/data/base\n' }))?.dir).toBe('/data/base');
    expect(
      unitDataDir(
        unit,
        files({ '/etc/etcd/base.env': 'ETCD_DATA_DIR=/data/base\n', '-/etc/etcd/local.env': 'ETCD_DATA_DIR=/data/local\n' }),
      ),
    ).toEqual({
      dir: '/data/local',
      via: '--data-dir (EnvironmentFile /etc/etcd/local.env)',
    });
    const reset = unit.replace('EnvironmentFile=-/etc/etcd/local.env', 'EnvironmentFile=\nEnvironmentFile=-/etc/etcd/local.env');
    expect(unitDataDir(reset, files({ '/etc/etcd/base.env': 'ETCD_DATA_DIR=/data/base\n' }))?.dir).toBe('/var/lib/etcd');
    // a variable nothing sets: unknown, never the literal text
    expect(unitDataDir('[Service]\nExecStart=/usr/bin/etcd --data-dir=${NOWHERE}\n', files({}))).toBeUndefined();
  });

  it('parseSources: the unitenv blocks feed the unit source', () => {
    const out = ['@@unit', DEBIAN_UNIT, '@@unitenv -/etc/default/%p', DEBIAN_DEFAULT + 'ETCD_DATA_DIR=/srv/etcd\n', ''].join('\n');
    expect(parseSources(out, { dataDir: '/x', service: 'etcd' })).toEqual([
      { kind: 'unit', where: 'ETCD_DATA_DIR (EnvironmentFile /etc/default/%p) in unit etcd', dir: '/srv/etcd' },
    ]);
  });

  // The host side, for real, in one round trip: a unit under /etc/systemd/system (systemd is not
  // PID 1 here, so the script reads the unit file itself) whose EnvironmentFile is %p-named.
  const name = `rb-unit-test-${process.pid}`;
  const unitPath = `/etc/systemd/system/${name}.service`;
  afterAll(() => {
    rmSync(unitPath, { force: true });
    cleanup();
  });
  it('effectiveDataDir reads the unit and its EnvironmentFile in one round trip', async () => {
    const ctx = makeCtx();
    writeFileSync(join(ctx.dir, `${name}.env`), 'ETCD_DATA_DIR=/srv/from-env-file\n');
    writeFileSync(
      unitPath,
      `[Service]\nEnvironment=ETCD_DATA_DIR=/var/lib/etcd/default\nEnvironmentFile=-${ctx.dir}/%p.env\nEnvironmentFile=-${ctx.dir}/missing.env\nExecStart=/usr/bin/etcd --data-dir=\${ETCD_DATA_DIR}\n`,
    );
    let calls = 0;
    const conn = ctx.conn;
    const counted: Connection = {
      ...conn,
      host: conn.host,
      kind: conn.kind,
      exec: (argv, o) => (calls++, conn.exec(argv, o)),
      shell: (s, o) => (calls++, conn.shell(s, o)),
      readFile: (p, o) => (calls++, conn.readFile(p, o)),
      writeFileAtomic: conn.writeFileAtomic.bind(conn),
      close: conn.close.bind(conn),
    };
    const got = await effectiveDataDir({ ...ctx, conn: counted }, { dataDir: '/x', service: name });
    expect(got).toEqual([
      { kind: 'unit', where: `--data-dir (EnvironmentFile ${ctx.dir}/%p.env) in unit ${name}`, dir: '/srv/from-env-file' },
    ]);
    expect(calls).toBe(1);
  });
});
