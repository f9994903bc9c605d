import t from 'tap';
import { runProgram, type CommandContext } from '../../../src/docker/exec.js';

t.test('input reaches the program on stdin and never the echo (the ECR password path)', async (t) => {
  const echoed: string[] = [];
  const context: CommandContext = {
    cwd: process.cwd(),
    env: process.env,
    target: { endpoint: 'unix:///var/run/docker.sock', name: 'local', remote: false },
    dryRun: false,
    echo: (line) => echoed.push(line),
  };
  const result = await runProgram(context, 'cat', [], { input: 'secret-password' });
  t.equal(result.stdout, 'secret-password');
  t.same(echoed, ['cat']);
});
