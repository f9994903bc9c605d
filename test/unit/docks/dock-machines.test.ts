import t from 'tap';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  dockMachinesPath,
  readDockMachines,
  requireMachineCommand,
  saveDockMachine,
} from '../../../src/docks/dock-machines.js';

t.test('docks.ini lives under XDG_CONFIG_HOME, else ~/.config', async (t) => {
  t.equal(dockMachinesPath({ XDG_CONFIG_HOME: '/x/conf', HOME: '/home/a' }), '/x/conf/dockerutils/docks.ini');
  t.equal(dockMachinesPath({ HOME: '/home/a' }), '/home/a/.config/dockerutils/docks.ini');
});

t.test('commands survive the round trip through the file, whatever they hold', async (t) => {
  const env = { XDG_CONFIG_HOME: t.testdir({}) };
  t.same(readDockMachines(env), new Map(), 'no file: no machines');
  const aws = {
    start: 'aws ec2 start-instances --instance-ids i-0abc',
    stop: 'aws ec2 stop-instances --instance-ids i-0abc # and wait',
    status:
      "aws ec2 describe-instances --instance-ids i-0abc --query 'Reservations[0].Instances[0].State.Name' --output text",
  };
  const odd = { start: 'echo "a;b" x=1 \\ [y]', status: 'true' };
  const spaced = { stop: ' sh -c "exit 0"' };
  saveDockMachine(env, 'gpu', aws);
  saveDockMachine(env, 'box.lab', odd);
  saveDockMachine(env, 'spaced', spaced);
  const machines = readDockMachines(env);
  t.same(machines.get('gpu'), aws);
  t.same(machines.get('box.lab'), odd, 'a dotted dock name, awkward characters, `true`');
  t.same(machines.get('spaced'), spaced, 'a leading space');
  t.equal(statSync(dockMachinesPath(env)).mode & 0o777, 0o600, 'only the user reads it');
  t.equal(requireMachineCommand(env, 'gpu', 'start'), aws.start);
  t.throws(() => requireMachineCommand(env, 'box.lab', 'stop'), {
    message: /dock "box.lab" has no stop command: add one under \[box.lab\] in .*docks.ini/,
  });

  saveDockMachine(env, 'gpu', undefined);
  t.same([...readDockMachines(env).keys()].sort(), ['box.lab', 'spaced'], 'rm forgets only that dock');
});

t.test('a hand-written file: [a.b] sections and other keys', async (t) => {
  const dir = t.testdir({ dockerutils: { 'docks.ini': '[lab.gpu]\nstart = wake gpu\nnote = ignored\n[empty]\n' } });
  const machines = readDockMachines({ XDG_CONFIG_HOME: dir });
  t.same([...machines], [['lab.gpu', { start: 'wake gpu' }]]);
  writeFileSync(join(dir, 'dockerutils', 'docks.ini'), '');
  t.same(readDockMachines({ XDG_CONFIG_HOME: dir }), new Map(), 'an empty file');
});
