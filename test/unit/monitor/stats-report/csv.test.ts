import t from 'tap';
import { csvField, csvRow } from '../../../../src/monitor/stats-report/csv.js';

t.test('numbers stay numbers, unknown values are empty', async (t) => {
  t.equal(
    csvRow(['2024-01-02T03:04:05.617Z', 0.5, 25276063744, undefined, Number.NaN, 0]),
    '2024-01-02T03:04:05.617Z,0.5,25276063744,,,0\n',
  );
});

t.test('text with a comma, a quote or a line break is quoted, quotes doubled (RFC 4180)', async (t) => {
  t.equal(csvField('web_1'), 'web_1');
  t.equal(csvField('a,b'), '"a,b"');
  t.equal(csvField('say "hi"'), '"say ""hi"""');
  t.equal(csvField('two\nlines'), '"two\nlines"');
  t.equal(csvField('cr\r'), '"cr\r"');
  t.equal(csvField(''), '');
});
