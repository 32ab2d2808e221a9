// Ticket templates: SailPoint's Velocity subset renders; nothing in a template can reach code,
// prototypes, files or unbounded work.
import { test } from 'tap'
import { compileTemplate } from '../../../connectors/identitynow/templates/engine.ts'

const context = {
  plan: {
    arguments: { identityRequestId: 'IR-9', uid: 'jdoe' },
    requests: [
      { operation: 'Create', application: 'AD', items: [{ name: 'groups', value: 'g1', operation: 'Add' }] },
      { operation: 'Disable', application: 'HR', items: [] },
    ],
  },
}
const render = (source: string) => compileTemplate('t', source).render(context)

test('SailPoint Velocity subset: references, quiet references, loops, conditions', async (t) => {
  t.equal(await render('SailPoint Access Request $!plan.arguments.identityRequestId'), 'SailPoint Access Request IR-9')
  t.equal(await render('${plan.arguments.uid}/$!{plan.arguments.uid}'), 'jdoe/jdoe')
  t.equal(await render('[$!plan.arguments.missing]'), '[]', 'a quiet reference to nothing renders empty')
  t.equal(
    await render('[$plan.arguments.missing]'),
    '[$plan.arguments.missing]',
    'a loud one prints itself, as Velocity does',
  )
  t.equal(
    await render(
      '#foreach($r in $plan.requests)$r.operation@$r.application:#foreach($i in $r.items)$i.operation $i.name=$i.value#end;#end',
    ),
    'Create@AD:Add groups=g1;Disable@HR:;',
  )
  t.equal(await render('#if($plan.arguments.uid)yes#else no#end|#if(!$plan.arguments.nope)absent#end'), 'yes|absent')
  t.equal(await render('#if($plan.arguments.nope)a#elseif($plan.arguments.uid)b#end'), 'b')
  t.equal(await render('{{ plan.arguments.uid | upcase }}'), 'JDOE', 'Liquid works as well')
  t.equal(
    await render('text with {{ braces }} and $!plan.arguments.uid'),
    'text with {{ braces }} and jdoe',
    'literal Liquid markup in a Velocity template stays text',
  )
})

test('no code, no prototypes, no files, bounded work', async (t) => {
  t.equal(
    await render('{{ plan.constructor }}{{ plan.__proto__ }}{{ plan.arguments.toString }}'),
    '',
    'prototype members are invisible',
  )
  t.equal(await render('{{ plan.constructor.constructor }}'), '', 'no way to the Function constructor')
  t.equal(await render('$!plan.constructor.constructor'), '')
  t.throws(
    () => compileTemplate('t', '$plan.getClass().forName("java.lang.Runtime")'),
    { code: 'CW_IDN_TEMPLATE_INVALID' },
    'method calls refused',
  )
  for (const directive of [
    '#set($x = 1)',
    '#macro(m)#end',
    '#parse("x.vm")',
    '#include("/etc/passwd")',
    '#evaluate("1")',
    '#define($d)x#end',
  ]) {
    t.throws(() => compileTemplate('t', directive), { code: 'CW_IDN_TEMPLATE_INVALID' }, `${directive} refused`)
  }
  await t.rejects(render("{% include '/etc/passwd' %}"), { code: 'CW_IDN_TEMPLATE_INVALID' }, 'no file reads')
  await t.rejects(render("{% render 'anything' %}"), { code: 'CW_IDN_TEMPLATE_INVALID' })
  t.throws(
    () => compileTemplate('t', '{{ "x" | no_such_filter }}'),
    { code: 'CW_IDN_TEMPLATE_INVALID' },
    'unknown filters refused',
  )
  await t.rejects(
    render('{% for a in (1..100000) %}{% for b in (1..100000) %}x{% endfor %}{% endfor %}'),
    { code: 'CW_IDN_TEMPLATE_INVALID' },
    'a runaway loop hits the render limits',
  )
  t.throws(() => compileTemplate('t', '#foreach($r in $plan.requests) no end'), { code: 'CW_IDN_TEMPLATE_INVALID' })
})
