import t, { type Test } from 'tap';
import { ecrLoginCommands, pushImageArgs, tagImageArgs } from '../../../src/docker/registry.js';
import { needsAws, publicationReference } from '../../../src/project/publication.js';
import { loadProject, type Project } from '../../../src/project/project.js';

function project(cfg: string, t: Test, env: NodeJS.ProcessEnv = {}): Project {
  const root = t.testdir({ Shop: { docker: { 'dockerutils.cfg': cfg, dev: { Dockerfile: 'FROM busybox\n' } } } });
  return loadProject(`${root}/Shop`, { USER: 'ann', ...env });
}

t.test('publication_tag variables: {account} {region} {image} {tag} {user} and $VARS', async (t) => {
  const shop = project(
    '[dev]\nimage_repo = aws\npublication_tag = {account}.dkr.ecr.{region}.amazonaws.com/{image}:{tag}-$BUILD_ID\n',
    t,
    { BUILD_ID: '7' },
  );
  t.ok(needsAws(shop, 'dev'));
  t.same(publicationReference(shop, 'dev', { account: '123', region: 'eu-west-1' }), [
    '123.dkr.ecr.eu-west-1.amazonaws.com/shop-dev:ann-',
    { env: 'BUILD_ID' },
  ]);
});

t.test('a plain registry needs no AWS lookup', async (t) => {
  const shop = project('[dev]\ntag = v2\npublication_tag = 127.0.0.1:5000/{user}/{image}:{tag}\n', t);
  t.notOk(needsAws(shop, 'dev'));
  t.same(publicationReference(shop, 'dev', undefined), ['127.0.0.1:5000/ann/shop-dev:v2']);
});

t.test('a missing publication_tag says what to add', async (t) => {
  t.throws(() => publicationReference(project('[dev]\n', t), 'dev', undefined), {
    name: 'UserError',
    message: /\[dev\] has no publication_tag .* add one/,
  });
});

t.test('registry argv; the ECR password never is an argument', async (t) => {
  t.same(tagImageArgs('shop-dev:ann', ['r/shop-dev:ann']), ['tag', 'shop-dev:ann', ['r/shop-dev:ann']]);
  t.same(pushImageArgs('r/shop-dev:ann'), ['push', 'r/shop-dev:ann']);
  t.same(ecrLoginCommands('123', 'eu-west-1'), {
    passwordArgs: ['ecr', 'get-login-password', '--region', 'eu-west-1'],
    loginArgs: ['login', '--username', 'AWS', '--password-stdin', '123.dkr.ecr.eu-west-1.amazonaws.com'],
    registry: '123.dkr.ecr.eu-west-1.amazonaws.com',
  });
});
