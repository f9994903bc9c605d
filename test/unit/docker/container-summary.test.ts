import t from 'tap';
import {
  containerSummary,
  displayablePorts,
  humanDuration,
  type ApiPort,
} from '../../../src/docker/container-summary.js';

const tcp = (PrivatePort: number, more: Partial<ApiPort> = {}): ApiPort => ({ PrivatePort, Type: 'tcp', ...more });
const udp = (PrivatePort: number, more: Partial<ApiPort> = {}): ApiPort => ({ PrivatePort, Type: 'udp', ...more });

t.test('ports as docker ps shows them', async (t) => {
  t.equal(displayablePorts([]), '');
  t.equal(displayablePorts([tcp(9988)]), '9988/tcp', 'exposed only');
  t.equal(
    displayablePorts([tcp(9988, { PublicPort: 8899 })]),
    '9988/tcp',
    'a public port without an address is not shown',
  );
  t.equal(displayablePorts([tcp(9988, { IP: '0.0.0.0' })]), '0.0.0.0:0->9988/tcp');
  t.equal(displayablePorts([tcp(9988, { IP: '4.3.2.1', PublicPort: 8899 })]), '4.3.2.1:8899->9988/tcp');
  t.equal(displayablePorts([tcp(9988, { IP: '4.3.2.1', PublicPort: 9988 })]), '4.3.2.1:9988->9988/tcp');
  t.equal(displayablePorts([udp(9988), udp(9988)]), '9988/udp, 9988/udp', 'the same port twice is two groups');
  t.equal(displayablePorts([udp(9999), udp(9998)]), '9998-9999/udp', 'neighbours are one range');
  t.equal(
    displayablePorts([udp(9998, { IP: '1.2.3.4', PublicPort: 9998 }), udp(9999, { IP: '1.2.3.4', PublicPort: 9999 })]),
    '1.2.3.4:9998-9999->9998-9999/udp',
  );
  t.equal(
    displayablePorts([udp(9998, { IP: '1.2.3.4', PublicPort: 8887 }), udp(9999, { IP: '1.2.3.4', PublicPort: 8888 })]),
    '1.2.3.4:8887->9998/udp, 1.2.3.4:8888->9999/udp',
  );
  t.equal(
    displayablePorts([tcp(6677, { IP: '1.2.3.4', PublicPort: 7766 }), udp(9988, { PublicPort: 8899 })]),
    '9988/udp, 1.2.3.4:7766->6677/tcp',
    'host mappings come last',
  );
  t.equal(
    displayablePorts([
      udp(9988, { IP: '1.2.3.4', PublicPort: 8899 }),
      tcp(9988, { IP: '1.2.3.4', PublicPort: 8899 }),
      tcp(2233, { IP: '4.3.2.1', PublicPort: 3322 }),
    ]),
    '4.3.2.1:3322->2233/tcp, 1.2.3.4:8899->9988/tcp, 1.2.3.4:8899->9988/udp',
    'sorted by private port, address, public port, protocol',
  );
  t.equal(
    displayablePorts([tcp(80, { IP: '::', PublicPort: 80 }), tcp(80, { IP: '0.0.0.0', PublicPort: 80 })]),
    '0.0.0.0:80->80/tcp, [::]:80->80/tcp',
    'IPv4 before IPv6, IPv6 in brackets',
  );
  t.equal(
    displayablePorts([tcp(8080, { IP: '::', PublicPort: 32768 }), tcp(8080, { IP: '0.0.0.0', PublicPort: 32768 })]),
    '0.0.0.0:32768->8080/tcp, [::]:32768->8080/tcp',
  );
  t.equal(
    displayablePorts([tcp(80), tcp(1024), udp(80), udp(1024), tcp(1025)]),
    '80/tcp, 80/udp, 1024-1025/tcp, 1024/udp',
    'a gap starts a new group of the same protocol',
  );
});

t.test('durations as go-units words them', async (t) => {
  const second = 1000;
  const minute = 60 * second;
  const hour = 60 * minute;
  const day = 24 * hour;
  const cases: [number, string][] = [
    [400, 'Less than a second'],
    [1 * second, '1 second'],
    [47 * second, '47 seconds'],
    [65 * second, 'About a minute'],
    [3 * minute, '3 minutes'],
    [59 * minute, '59 minutes'],
    [60 * minute, 'About an hour'],
    [89 * minute, 'About an hour'],
    [90 * minute, '2 hours'],
    [47 * hour, '47 hours'],
    [48 * hour, '2 days'],
    [13 * day, '13 days'],
    [14 * day, '2 weeks'],
    [59 * day, '8 weeks'],
    [60 * day, '2 months'],
    [729 * day, '24 months'],
    [730 * day, '2 years'],
  ];
  for (const [milliseconds, words] of cases) t.equal(humanDuration(milliseconds), words, `${milliseconds} ms`);
});

t.test('an API entry as a summary', async (t) => {
  const created = Date.UTC(2026, 10, 30, 15, 56, 27) / 1000;
  const summary = containerSummary(
    {
      Id: 'e76942fd09af504e09db233037edfcedc74f314e986de287e432fe21766ae6cb',
      Names: ['/web'],
      Image: 'busybox',
      Created: created,
      State: 'running',
      Status: 'Up 3 minutes',
      Ports: [tcp(80, { IP: '127.0.0.1', PublicPort: 8080 })],
      Labels: { 'a.b': 'x,y=z', c: '' },
    },
    created * 1000 + 200 * 1000,
  );
  t.same(summary, {
    id: 'e76942fd09af504e09db233037edfcedc74f314e986de287e432fe21766ae6cb',
    name: 'web',
    image: 'busybox',
    state: 'running',
    status: 'Up 3 minutes',
    ports: '127.0.0.1:8080->80/tcp',
    runningFor: '3 minutes ago',
    createdAt: '2026-11-30T15:56:27Z',
    labels: { 'a.b': 'x,y=z', c: '' },
  });
  t.equal(containerSummary({ Id: 'x', Image: '' }, 0).image, '<no image>');
  t.equal(
    containerSummary({ Id: 'x', Names: ['/a', '/b/link'] }, 0).name,
    'a,b/link',
    'every name, as --no-trunc lists them',
  );
});
