// The program that runs an `async:` job on the host, as Ansible's async_wrapper does: it reads
// the job (JSON) on standard input, writes {started: 1, finished: 0} to ~/.ansible_async/<jid>,
// detaches (fork, setsid, fork: the job survives the SSH channel closing) and answers at once;
// the detached watcher runs the job in its own process group, kills that group soon after the time
// limit (writing Ansible's "Timeout exceeded" result) and the job writes its result JSON. Every
// write is a temporary file renamed over the job file, so a reader sees a whole result or none.
// The job is an argv whose output is either a command's (rc, stdout, stderr: the result is built
// here, in command's shape) or a module's (its JSON answer is the result), or a result already known.

export const ASYNC_WRAPPER = String.raw`
import datetime, json, os, signal, subprocess, sys, time
spec = json.loads(sys.stdin.read())
jid = spec['jid']
jobdir = os.path.expanduser('~/.ansible_async')
path = os.path.join(jobdir, jid)

def jwrite(info):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(json.dumps(info))
    os.rename(tmp, path)

def now():
    return datetime.datetime.now(datetime.timezone.utc)

def stamp(t):
    return t.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (t.microsecond // 1000)

def strip(s):
    return s[:-1] if spec.get('strip') and s.endswith('\n') else s

def run():
    start = now()
    stdin = spec.get('stdin')
    try:
        argv = ([sys.executable] if spec.get('python') else []) + spec['argv']
        p = subprocess.Popen(argv, cwd=spec.get('cwd'), stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = p.communicate(stdin.encode('utf-8', 'surrogateescape') if stdin is not None else None)
    except OSError as e:
        jwrite({'failed': True, 'changed': False, 'cmd': spec['cmd'], 'rc': 2, 'msg': '[Errno %d] %s' % (e.errno or 0, e.strerror or e), 'ansible_job_id': jid})
        return
    out = out.decode('utf-8', 'replace')
    err = err.decode('utf-8', 'replace')
    if spec['output'] == 'module':
        lines = out.split('\n')
        first = next((i for i, l in enumerate(lines) if l.lstrip().startswith('{')), None)
        try:
            result = json.loads('\n'.join(lines[first:])) if first is not None else None
        except ValueError:
            result = None
        if not isinstance(result, dict):
            result = {'failed': True, 'msg': 'MODULE FAILURE', 'module_stdout': out, 'module_stderr': err, 'rc': p.returncode}
        jwrite(result)
        return
    end = now()
    result = {'changed': True, 'cmd': spec['cmd'], 'rc': p.returncode, 'stdout': strip(out), 'stderr': strip(err),
              'start': stamp(start), 'end': stamp(end), 'delta': '%.3fs' % (end - start).total_seconds(), 'msg': ''}
    if p.returncode != 0:
        result['failed'] = True
        result['msg'] = 'non-zero return code'
    jwrite(result)

if not os.path.isdir(jobdir):
    os.makedirs(jobdir)
if 'result' in spec:
    jwrite(spec['result'])
else:
    jwrite({'started': 1, 'finished': 0, 'ansible_job_id': jid})
    ready_r, ready_w = os.pipe()
    if os.fork() == 0:
        os.close(ready_r)
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        child = os.fork()
        if child == 0:
            os.setpgid(0, 0)
            os.close(ready_w)
            run()
            os._exit(0)
        try:
            os.setpgid(child, child)
        except OSError:
            pass
        os.write(ready_w, b'x')
        os.close(ready_w)
        # 5 s past the limit (Ansible's wrapper looks every 5 s: it kills 5 to 10 s past it), so a
        # poll > 0 that reads the job at the limit, however late on a loaded controller, still finds
        # it running and reports it did not complete in time, as Ansible does
        deadline = time.time() + float(spec['seconds']) + 5
        while os.waitpid(child, os.WNOHANG) == (0, 0):
            if time.time() >= deadline:
                jwrite({'msg': 'Timeout exceeded', 'failed': True, 'child_pid': child})
                os.killpg(child, signal.SIGKILL)
                os.waitpid(child, 0)
                break
            time.sleep(0.2)
        os._exit(0)
    os.close(ready_w)
    os.read(ready_r, 1)
print(json.dumps({'started': 1, 'finished': 0, 'ansible_job_id': jid, 'results_file': path}))
`;
