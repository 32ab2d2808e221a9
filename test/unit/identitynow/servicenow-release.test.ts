// The ServiceNow release check: New York (the seed's certified release) and later are supported,
// older ones and unreadable ones warn.
import { test } from 'tap'
import { assessRelease, familyOf } from '../../../connectors/identitynow/servicenow-version/release.ts'

test('release families', async (t) => {
  t.equal(familyOf('glide-newyork-06-26-2019__patch0-07-17-2019_07-25-2019_1020.zip'), 'newyork')
  t.equal(familyOf('New York'), 'newyork')
  t.equal(familyOf('glide-washingtondc-12-20-2023__patch2'), 'washingtondc')
  t.equal(familyOf('Helsinki'), null)
  t.match(assessRelease('glide-newyork-06-26-2019__patch0'), { supported: true, level: 'ok' })
  t.match(assessRelease('glide-tokyo-07-08-2022__patch4'), { supported: true, level: 'info', family: 'tokyo' })
  for (const old of ['Madrid', 'London', 'Kingston', 'Jakarta', 'Istanbul']) {
    t.match(assessRelease(old), { supported: false, level: 'warning' }, `${old} is not supported, as the seed says`)
  }
  t.match(assessRelease(undefined), { supported: false, level: 'warning', message: /could not be read/ })
  t.match(assessRelease('glide-helsinki-03-16-2016'), { supported: false, level: 'warning', message: /Unknown/ })
})
