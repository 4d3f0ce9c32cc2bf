"""runbook's bridge to ansible-core: find a module and build its payload with Ansible's own code.

runbook runs the modules it does not build in through Ansible's module code, as Ansible itself
does: the module is found by ansible-core's plugin loader (builtin, collections, library/ dirs)
and wrapped by ansible-core's AnsiballZ builder (ansible.executor.module_common.modify_module).
Nothing of Ansible is copied here; this only calls the installed library.

Two ways to call it:
  python3 ansible_payload.py probe            -> {"version": ...}
  python3 ansible_payload.py resolve < JSON   -> one answer, for `runbook validate`
  python3 ansible_payload.py validate_args < JSON -> {"errors": [...]}: a role's argument spec
                                               checked by ansible-core's ArgumentSpecValidator
  python3 ansible_payload.py lookup < JSON    -> {"values": [...]} or {"error": ...}: a lookup plugin
                                               of a collection run by ansible-core's lookup_loader
                                               (one that reads no task variables: collection_version)
  python3 ansible_payload.py serve            -> JSON lines in, JSON lines out (one per request)
Requests: {"id", "op": "resolve", "names": [...], "dirs": [...]}
          {"id", "op": "build", "name", "dirs": [...], "args": {...}, "interpreter": "/usr/bin/python3"}
"""
import base64
import json
import os
import sys


def _loader(dirs):
    from ansible.plugins.loader import module_loader
    for d in dirs:
        if os.path.isdir(d):
            module_loader.add_directory(d)
    return module_loader


# action plugins that only pass the call on to a module of the same name (or pick one); a
# module with any other action plugin needs controller-side code runbook does not run
_PASS_THROUGH_ACTIONS = {'normal', 'yum', 'package', 'service'}
# action plugins that only run the module unless some arguments need the controller (uri's
# `src`, assemble's remote_src=false): runbook refuses those arguments at run time
# (src/modules/ansible/module.ts controllerSideArgs)
_MODULE_ONLY_UNLESS_ARGS = {'uri', 'assemble'}
# kubernetes.core's action plugins (helm*, k8s*: one file, plugins/action/k8s_info.py's code in
# 2.4) pass the arguments on unchanged except `template` (templated on the controller) and, on a
# local connection, relative kubeconfig/src/local_path (looked up under files/ on the controller):
# runbook refuses those (module.ts controllerSideArgs) and runs the module itself
_MODULE_ONLY_UNLESS_ARGS_COLLECTIONS = ('kubernetes.core.',)


# Ansible's ActionBase._configure_module looks a module up with the connection's
# module_implementation_preferences, ('',) for ssh and local: any file of that name in a
# library/ dir (a WANT_JSON shell script, a binary), not only a .py one
_MOD_TYPE = ''


def resolve(names, dirs):
    from ansible.plugins.loader import action_loader
    loader = _loader(dirs)
    out = {}
    for name in names:
        try:
            ctx = loader.find_plugin_with_context(name, mod_type=_MOD_TYPE)
            if not ctx.resolved:
                why = 'no module of that name'
                if ctx.redirect_list and len(ctx.redirect_list) > 1:
                    why = 'it is redirected to %s, which is not installed' % ctx.redirect_list[-1]
                out[name] = {'error': why}
                continue
            fqcn = ctx.resolved_fqcn or name
            action = action_loader.find_plugin_with_context(fqcn, collection_list=None)
            entry = {'fqcn': fqcn, 'path': ctx.plugin_resolved_path}
            if action.resolved:
                leaf = (action.resolved_fqcn or '').split('.')[-1]
                if leaf not in _PASS_THROUGH_ACTIONS and leaf not in _MODULE_ONLY_UNLESS_ARGS and \
                        not (action.resolved_fqcn or '').startswith(_MODULE_ONLY_UNLESS_ARGS_COLLECTIONS):
                    entry['action'] = action.resolved_fqcn
            out[name] = entry
        except Exception as e:  # a broken collection must not stop validation of the others
            out[name] = {'error': '%s: %s' % (type(e).__name__, e)}
    return out


def build(req):
    from ansible.executor.module_common import modify_module
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar
    loader = _loader(req.get('dirs', []))
    name = req['name']
    ctx = loader.find_plugin_with_context(name, mod_type=_MOD_TYPE)
    if not ctx.resolved:
        return {'error': 'module %s was not found by ansible-core' % name}
    interpreter = req.get('interpreter') or '/usr/bin/python3'
    task_vars = {'ansible_python_interpreter': interpreter, 'ansible_facts': {}}
    templar = Templar(loader=DataLoader(), variables=task_vars)
    data, style, shebang = modify_module(name, ctx.plugin_resolved_path, req['args'], templar, task_vars=task_vars,
                                         become=bool(req.get('become')))
    return {
        'fqcn': ctx.resolved_fqcn or name,
        'style': style,
        'shebang': shebang,
        'payload': base64.b64encode(data).decode('ascii'),
    }


def validate_args(req):
    # what ansible-core's validate_argument_spec action plugin does on the controller (the
    # values, already templated, come from the task's variables and the role's params)
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    from ansible.parsing.yaml.objects import AnsibleUnicode

    # strings as Ansible holds values read from YAML: its messages name their class
    def yaml_strings(v):
        if isinstance(v, str):
            return AnsibleUnicode(v)
        if isinstance(v, dict):
            return {k: yaml_strings(x) for k, x in v.items()}
        if isinstance(v, list):
            return [yaml_strings(x) for x in v]
        return v
    validator = ArgumentSpecValidator(req.get('argument_spec') or {})
    result = validator.validate(yaml_strings(req.get('params') or {}), validate_role_argument_spec=True)
    return {'errors': list(result.error_messages)}


def lookup(req):
    # as ansible-playbook sets it up: the collections beside the playbook, then the configured paths
    from ansible.errors import AnsibleError
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import lookup_loader
    from ansible.template import Templar
    from ansible.utils.collection_loader import AnsibleCollectionConfig
    AnsibleCollectionConfig.playbook_paths = [req.get('playbook_dir') or '.']
    loader = DataLoader()
    plugin = lookup_loader.get(req['name'], loader=loader, templar=Templar(loader=loader))
    if plugin is None:
        return {'error': 'lookup plugin (%s) not found' % req['name']}
    try:
        return {'values': plugin.run(req.get('terms') or [], variables={}, **(req.get('kwargs') or {}))}
    except AnsibleError as e:
        return {'error': str(e)}


def handle(req):
    op = req.get('op')
    if op == 'resolve':
        return {'results': resolve(req.get('names', []), req.get('dirs', []))}
    if op == 'build':
        return build(req)
    return {'error': 'unknown op %r' % op}


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else 'serve'
    if mode == 'probe':
        from ansible.release import __version__  # cheap: the builder is imported when first needed
        print(json.dumps({'version': __version__}))
        return
    if mode == 'validate_args':
        print(json.dumps(validate_args(json.load(sys.stdin))))
        return
    if mode == 'lookup':
        print(json.dumps(lookup(json.load(sys.stdin))))
        return
    if mode == 'resolve':
        req = json.load(sys.stdin)
        print(json.dumps(resolve(req.get('names', []), req.get('dirs', []))))
        return
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            res = handle(req)
        except Exception as e:
            res = {'error': '%s: %s' % (type(e).__name__, e)}
        res['id'] = req.get('id')
        sys.stdout.write(json.dumps(res) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
