// SailPoint writes ticket templates in Velocity (`$!plan.arguments.identityRequestId`,
// `#foreach($r in $plan.requests) ... #end`). We never run Velocity: this translates the subset
// SailPoint documents (references, quiet references, #foreach, #if/#elseif/#else, #end) into
// Liquid, which the safe engine renders. Anything else (method calls, #set, #macro, #parse,
// #include, #evaluate) is refused.
import { IdnErrors } from '../errors.ts'

const PATH = String.raw`[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*`
const TOKEN = new RegExp(
  [
    String.raw`#\{?(foreach)\}?\s*\(\s*\$([A-Za-z_]\w*)\s+in\s+\$!?\{?(${PATH})\}?\s*\)`,
    String.raw`#\{?(if|elseif)\}?\s*\(\s*(!?)\s*\$!?\{?(${PATH})\}?\s*\)`,
    String.raw`#\{?(else|end)\}?`,
    String.raw`#\{?(set|macro|parse|include|evaluate|define|break|stop)\}?\b`,
    String.raw`\$(!?)\{(${PATH})\}`,
    String.raw`\$(!?)(${PATH})(\s*\()?`,
  ].join('|'),
  'g',
)

/** True when the text uses Velocity syntax (and so must be translated before rendering). */
export function looksLikeVelocity(text: string): boolean {
  return /\$!?\{?[A-Za-z_]|#\{?(foreach|if|elseif|else|end|set|macro|parse|include|evaluate|define|break|stop)\b/.test(
    text,
  )
}

export function velocityToLiquid(name: string, source: string): string {
  const open: Array<'for' | 'if'> = []
  let out = ''
  let last = 0
  for (const match of source.matchAll(TOKEN)) {
    out += escapeLiquid(source.slice(last, match.index))
    last = match.index + match[0].length
    const [
      ,
      foreach,
      loopVar,
      loopPath,
      cond,
      negate,
      condPath,
      elseOrEnd,
      refused,
      quietBraced,
      bracedPath,
      quiet,
      path,
      call,
    ] = match
    if (foreach) {
      open.push('for')
      out += `{% for ${loopVar} in ${loopPath} %}`
    } else if (cond) {
      if (cond === 'if') open.push('if')
      else if (open.at(-1) !== 'if') throw new IdnErrors.TEMPLATE_INVALID(name, '#elseif without #if')
      if (negate && cond === 'elseif') throw new IdnErrors.TEMPLATE_INVALID(name, 'negated #elseif is not supported')
      out += `{% ${cond === 'elseif' ? 'elsif' : negate ? 'unless' : 'if'} ${condPath} %}`
    } else if (elseOrEnd === 'else') {
      if (open.length === 0) throw new IdnErrors.TEMPLATE_INVALID(name, '#else without #if or #foreach')
      out += '{% else %}'
    } else if (elseOrEnd === 'end') {
      const block = open.pop()
      if (!block) throw new IdnErrors.TEMPLATE_INVALID(name, '#end without an open block')
      out += block === 'for' ? '{% endfor %}' : endOfIf(out)
    } else if (refused) {
      throw new IdnErrors.TEMPLATE_INVALID(name, `#${refused} is not supported (no code runs in ticket templates)`)
    } else if (bracedPath !== undefined || path !== undefined) {
      if (call)
        throw new IdnErrors.TEMPLATE_INVALID(name, `method calls such as "${match[0].trim()}" are not supported`)
      const ref = (bracedPath ?? path) as string
      const isQuiet = (quietBraced ?? quiet) === '!'
      // a loud Velocity reference that does not resolve prints itself
      out += isQuiet ? `{{ ${ref} }}` : `{{ ${ref} | default: ${JSON.stringify(match[0])} }}`
    }
  }
  out += escapeLiquid(source.slice(last))
  if (open.length > 0) throw new IdnErrors.TEMPLATE_INVALID(name, `${open.length} block(s) lack #end`)
  return out
}

/** #end closes an #if or an #unless (negated #if): find which one is innermost still open. */
function endOfIf(rendered: string): string {
  let depth = 0
  const tags = [...rendered.matchAll(/\{% (if|unless|endif|endunless) /g)].map((m) => m[1])
  for (let i = tags.length - 1; i >= 0; i--) {
    const tag = tags[i]
    if (tag === 'endif' || tag === 'endunless') depth++
    else if (depth === 0) return tag === 'unless' ? '{% endunless %}' : '{% endif %}'
    else depth--
  }
  return '{% endif %}'
}

/** Literal text must not be read as Liquid markup. */
function escapeLiquid(text: string): string {
  return text.replace(/\{[{%]/g, (m) => `{% raw %}${m}{% endraw %}`)
}
