/**
 * `cssomStyle({...})`: Lit's styleMap without its inline `style` attribute. styleMap writes the
 * first render as an attribute, which `style-src 'self'` refuses; this sets every property
 * through the CSSOM, which a strict Content Security Policy allows. Use it in the tag:
 * `<div ${cssomStyle({ left: "12%", "--lane": "1" })}>`, with properties named as CSS names them.
 */
import { noChange } from "lit";
import { Directive, directive, PartType, type ElementPart, type PartInfo } from "lit/directive.js";

export type CssomStyles = Readonly<Record<string, string | number | null | undefined>>;

class CssomStyleDirective extends Directive {
  #set = new Set<string>();

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) {
      throw new Error("cssomStyle() goes inside an element's tag (<div ${cssomStyle({...})}>), not in an attribute's value");
    }
  }

  render(_styles: CssomStyles): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [styles]: [CssomStyles]): typeof noChange {
    const style = (part.element as HTMLElement | SVGElement).style;
    for (const name of this.#set) {
      if (styles[name] === null || styles[name] === undefined) {
        style.removeProperty(name);
        this.#set.delete(name);
      }
    }
    for (const [name, value] of Object.entries(styles)) {
      if (value === null || value === undefined) continue;
      const text = String(value);
      if (style.getPropertyValue(name) !== text) style.setProperty(name, text);
      this.#set.add(name);
    }
    return noChange;
  }
}

export const cssomStyle = directive(CssomStyleDirective);
