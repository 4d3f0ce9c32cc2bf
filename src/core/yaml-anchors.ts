// An alias's anchor in a parsed YAML document (core/yaml-source.ts), found from one walk of it.
import { isAlias, isCollection, isScalar, visit, type Alias, type Document, type Node as YamlNode } from 'yaml';

/**
 * An alias's anchor: the last node before it in document order with that anchor, as the yaml
 * package's Alias.resolve finds it — which walks the whole document for every alias (~40 ms of
 * the disaster-recovery playbook's load). Here one walk per document (shared by the error check
 * and the replacement) lists the anchored nodes and the aliases; replacing aliases by their targets keeps the list right (each alias is
 * looked up among the nodes before it, which do not move).
 */
export type AnchorOf = (alias: Alias) => YamlNode | undefined;

export function anchorResolver(doc: Document.Parsed): AnchorOf {
  let nodes: YamlNode[] | undefined;
  return (alias) => {
    if (!nodes) {
      const list: YamlNode[] = [];
      visit(doc, {
        Node(_k, node) {
          if (isAlias(node) || ((isScalar(node) || isCollection(node)) && node.anchor)) list.push(node);
        },
      });
      nodes = list;
    }
    let found: YamlNode | undefined;
    for (const node of nodes) {
      if (node === alias) break;
      if (node.anchor === alias.source) found = node;
    }
    return found;
  };
}
