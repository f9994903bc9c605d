import t from 'tap';
import { dockerOk, removeLabelled, requireEngine, runBin } from '../../helpers/engine.js';
import { makeProject } from '../../helpers/project-fixture.js';

t.before(requireEngine);

t.test("build-image: docker's build log on stderr, stdout exactly the references built, one a line", async (t) => {
  // base is built first by `all`; a RUN step makes docker print a build log worth redirecting.
  const fixture = makeProject(t, '[hello]\ntag=v1\n', (suffix) => ({
    base: `FROM busybox\nLABEL dockerutils.test=${suffix}\nRUN echo base-step-${suffix}\n`,
    hello: `FROM busybox\nLABEL dockerutils.test=${suffix}\nRUN echo hello-step-${suffix}\n`,
  }));
  t.teardown(() => removeLabelled(fixture.imageLabel));
  const options = { cwd: fixture.root, env: { ...process.env, LOGNAME: 'tester', NO_COLOR: '1' }, timeoutMs: 180_000 };
  const hello = `${fixture.name}-hello:v1`;
  const base = `${fixture.name}-base:tester`;

  const one = await runBin('build-image', ['hello'], options);
  t.equal(one.exitCode, 0, one.stderr);
  t.equal(one.stdout, `${hello}\n`, 'stdout: the reference, nothing else');
  // The fixture lies in this repository's checkout: build-image adds its version labels.
  t.match(
    one.stderr.split('\n')[0],
    new RegExp(`^docker build --compress -t ${hello} -f docker/hello/Dockerfile( --label \\S+)* \\.$`),
    'the echo on stderr, first',
  );
  t.match(one.stderr, `hello-step-${fixture.suffix}`, "docker's build log on stderr");
  t.match(one.stderr, /Successfully tagged|naming to/);
  await dockerOk(['image', 'inspect', hello]);

  const all = await runBin('build-image', ['all'], options);
  t.equal(all.exitCode, 0, all.stderr);
  t.equal(all.stdout, `${base}\n${hello}\n`, 'base first, then the others, one a line');
  t.match(all.stderr, `base-step-${fixture.suffix}`);
  for (const reference of [base, hello]) await dockerOk(['image', 'inspect', reference]);
});
