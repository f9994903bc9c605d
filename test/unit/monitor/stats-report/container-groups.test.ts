import t from 'tap';
import { compareLabels, nameStem } from '../../../../src/monitor/stats-report/container-groups.js';

t.test('containers of one image share a stem: replica numbers and run-image dates come off', async (t) => {
  t.equal(nameStem('ann_web_1'), 'ann_web');
  t.equal(nameStem('ann_web_12'), 'ann_web');
  t.equal(nameStem('proj-web-3'), 'proj-web');
  t.equal(nameStem('ann_web_24-01-02_03.04.05'), 'ann_web');
  t.equal(nameStem('happy_einstein'), 'happy_einstein');
  t.equal(nameStem('web'), 'web');
  t.equal(nameStem('42'), '42', 'a name that is all number keeps it');
});

t.test('labels sort as people read them', async (t) => {
  t.same(['web_10', 'web_2', 'db_1', 'web_1'].sort(compareLabels), ['db_1', 'web_1', 'web_2', 'web_10']);
});
