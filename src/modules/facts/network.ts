// default_ipv4, all_ipv4_addresses and interfaces from `ip` output when the host has it, else
// from /proc/net/route and the local addresses of /proc/net/fib_trie. Pure: text in, facts out.

export interface DefaultIpv4 {
  address?: string;
  interface?: string;
  gateway?: string;
  netmask?: string;
  network?: string;
  prefix?: string;
  broadcast?: string;
  macaddress?: string;
  mtu?: number;
}

export interface NetworkInput {
  /** `ip -4 route get 1.1.1.1` ('' without `ip` or without a route) */
  readonly routeGet: string;
  /** `ip -4 -o addr show` ('' without `ip`) */
  readonly addresses: string;
  /** /proc/net/route */
  readonly procRoute: string;
  /** local IPv4 addresses from /proc/net/fib_trie, one a line (only without `ip`) */
  readonly localAddresses: string;
  /** `<path or name> <mac> <mtu>` a line, from /sys/class/net */
  readonly interfaces: string;
}

export interface NetworkFacts {
  readonly default_ipv4: DefaultIpv4;
  readonly all_ipv4_addresses: string[];
  readonly interfaces: string[];
}

interface Addr {
  readonly iface: string;
  readonly address: string;
  readonly prefix: number;
  readonly broadcast?: string;
}

/** a.b.c.d → unsigned 32-bit number */
function toNum(ip: string): number {
  return ip.split('.').reduce((n, part) => ((n << 8) | (Number(part) & 255)) >>> 0, 0);
}

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** /proc/net/route keeps addresses as host-order (little-endian) hex: 010200C0 → 192.0.2.1 */
export function hexToIp(hex: string): string {
  const v = parseInt(hex, 16) >>> 0;
  return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24].join('.');
}

function prefixToMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function maskToPrefix(mask: number): number {
  let n = 0;
  for (let m = mask; m & 0x80000000; m = (m << 1) >>> 0) n++;
  return n;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** `ip -4 -o addr show` lines: `2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\ ...` */
export function parseIpAddr(text: string): Addr[] {
  const out: Addr[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    const at = words.indexOf('inet');
    if (at < 0 || words.length < at + 2) continue;
    const [address = '', prefix = '32'] = words[at + 1]!.split('/');
    if (!IPV4.test(address)) continue;
    const brd = words.indexOf('brd');
    out.push({
      iface: (words[1] ?? '').replace(/:$/, '').replace(/@.*$/, ''),
      address,
      prefix: Number(prefix),
      ...(brd > 0 && words[brd + 1] ? { broadcast: words[brd + 1]! } : {}),
    });
  }
  return out;
}

/** `1.1.1.1 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0` → interface, gateway, source address */
export function parseRouteGet(text: string): { interface?: string; gateway?: string; address?: string } {
  const words = text.trim().split(/\s+/);
  const after = (w: string): string | undefined => {
    const i = words.indexOf(w);
    return i >= 0 ? words[i + 1] : undefined;
  };
  const dev = after('dev');
  const via = after('via');
  const src = after('src');
  return { ...(dev ? { interface: dev } : {}), ...(via ? { gateway: via } : {}), ...(src ? { address: src } : {}) };
}

export interface ProcRoute {
  readonly iface: string;
  readonly destination: number;
  readonly gateway: number;
  readonly mask: number;
  readonly metric: number;
  readonly up: boolean;
}

export function parseProcRoute(text: string): ProcRoute[] {
  const out: ProcRoute[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface, dest, gw, flags, , , metric, mask] = f as [string, string, string, string, string, string, string, string];
    out.push({
      iface,
      destination: toNum(hexToIp(dest)),
      gateway: toNum(hexToIp(gw)),
      mask: toNum(hexToIp(mask)),
      metric: Number(metric),
      up: (parseInt(flags, 16) & 1) === 1,
    });
  }
  return out;
}

/** The default route with the lowest metric, from /proc/net/route. */
function procDefault(routes: readonly ProcRoute[]): ProcRoute | undefined {
  return routes.filter((r) => r.up && r.destination === 0 && r.mask === 0).sort((a, b) => a.metric - b.metric)[0];
}

/** Without `ip`: the interface's addresses are the local ones inside its connected routes. */
function procAddrs(routes: readonly ProcRoute[], locals: readonly string[]): Addr[] {
  const out: Addr[] = [];
  for (const address of locals) {
    const n = toNum(address);
    const r = routes.find((x) => x.up && x.mask !== 0 && x.gateway === 0 && (n & x.mask) >>> 0 === x.destination);
    if (r) out.push({ iface: r.iface, address, prefix: maskToPrefix(r.mask) });
  }
  return out;
}

function interfaceTable(text: string): Map<string, { mac: string; mtu: number | undefined }> {
  const out = new Map<string, { mac: string; mtu: number | undefined }>();
  for (const line of text.split('\n')) {
    const [path, mac = '', mtu = ''] = line.trim().split(/\s+/);
    if (!path) continue;
    const name = path.slice(path.lastIndexOf('/') + 1);
    out.set(name, { mac, mtu: /^\d+$/.test(mtu) ? Number(mtu) : undefined });
  }
  return out;
}

export function networkFacts(input: NetworkInput): NetworkFacts {
  const routes = parseProcRoute(input.procRoute);
  const locals = input.localAddresses
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => IPV4.test(l));
  const addrs = input.addresses.trim() ? parseIpAddr(input.addresses) : procAddrs(routes, locals);
  const ifaces = interfaceTable(input.interfaces);

  let def: DefaultIpv4 = {};
  const viaIp = parseRouteGet(input.routeGet);
  if (viaIp.interface) def = { ...viaIp };
  else {
    const r = procDefault(routes);
    if (r) def = { interface: r.iface, ...(r.gateway !== 0 ? { gateway: toIp(r.gateway) } : {}) };
  }
  const iface = def.interface;
  if (iface) {
    const mine = addrs.filter((a) => a.iface === iface);
    const a = mine.find((x) => x.address === def.address) ?? mine[0];
    if (a) {
      const mask = prefixToMask(a.prefix);
      def = {
        ...def,
        address: a.address,
        netmask: toIp(mask),
        network: toIp((toNum(a.address) & mask) >>> 0),
        prefix: String(a.prefix),
        ...(a.broadcast ? { broadcast: a.broadcast } : {}),
      };
    }
    const i = ifaces.get(iface);
    if (i?.mac) def.macaddress = i.mac;
    if (i?.mtu !== undefined) def.mtu = i.mtu;
  }
  // Ansible leaves loopback addresses out of all_ipv4_addresses
  const all = [...new Set(addrs.map((a) => a.address))].filter((a) => !a.startsWith('127.'));
  return { default_ipv4: def, all_ipv4_addresses: all, interfaces: [...ifaces.keys()] };
}
