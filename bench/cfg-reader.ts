// Why dockerutils.cfg has a reader of its own: the same cfg texts go to src/project/cfg-file.ts and to the
// `ini` package (v5), and each result is compared with what Python's configparser (the Python dockerutils'
// reader: ConfigParser() with optionxform = str) returns for the same text, run here as the ground truth.
// Then a large cfg is parsed by each, timed.
// Run: node --import=@tapjs/typescript/import bench/cfg-reader.ts   (needs python3; BENCH_RUNS, BENCH_SECTIONS)
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import ini from 'ini';
import { cfgKeys, getCfgValue, parseCfg } from '../src/project/cfg-file.js';

type Sections = Record<string, Record<string, string>>;
type Outcome = { readonly sections: Sections } | { readonly error: string };

const runs = Number(process.env.BENCH_RUNS ?? 21);
const largeSectionCount = Number(process.env.BENCH_SECTIONS ?? 2000);

const cases: { readonly name: string; readonly text: string }[] = [
  {
    name: 'continuation lines (a value over several indented lines)',
    text: '[dev]\nvolumes = -v {project_root}:/src\n          -v {home}/.cache/pip:/root/.cache/pip\nports = -p 8888:8888\n',
  },
  {
    name: 'a blank line inside a continued value',
    text: '[dev]\nvolumes = -v {project_root}:/src\n\n          -v /data:/data\n',
  },
  {
    name: '":" as the separator',
    text: '[dev]\nports: -p 8888:8888\nnetwork: host\n',
  },
  {
    name: '[DEFAULT] keys inherited by every section',
    text: '[DEFAULT]\ntag = latest\nnetwork = none\n\n[dev]\ncmd = bash\n\n[test]\ntag = ci\n',
  },
  {
    name: '%(key)s interpolation and %% for a literal %',
    text: '[DEFAULT]\nregistry = registry.example.com\n\n[dev]\nname = shop\npublication_tag = %(registry)s/%(name)s:{tag}\ncmd = sh -c "df -h | grep 100%%"\n',
  },
  {
    name: 'a dotted section name',
    text: '[python3.11]\nname = python\nprefix = False\ntag = 3.11-slim\n',
  },
  {
    name: 'quoted values (quotes are part of the command line)',
    text: '[test]\ncmd = "npm test"\nenvironment = -e GREETING="hello world"\n',
  },
  {
    name: 'inline ";" and "#" (not comments in configparser)',
    text: '[dev]\ncmd = sh -c "echo a; echo b"\nargs = --label note=#1 --shm-size 1g\n',
  },
  {
    name: 'full-line comments, also inside a continued value',
    text: '# images of the shop project\n[dev]\n; the sources and the pip cache\nvolumes = -v {project_root}:/src\n  # -v /scratch:/scratch\n  -v {home}/.cache/pip:/root/.cache/pip\n',
  },
  {
    name: 'a key given twice in one section',
    text: '[dev]\nports = -p 8888:8888\nports = -p 9999:9999\n',
  },
  {
    name: 'a key with a space: "=" or ":" forgotten (configparser reads key "ports -p 80", value "80")',
    text: '[dev]\nports -p 80:80\n',
  },
  {
    name: 'a Python dockerutils cfg',
    text: [
      '# docker/dockerutils.cfg',
      '[DEFAULT]',
      'tag = latest',
      '',
      '[base]',
      'pull_FROM_on_force = True',
      '',
      '[dev]',
      'volumes = -v {project_root}:/src',
      '          -v {home}/.aws:/root/.aws:ro',
      'volumes_docked = -v /data/{project}:/src',
      'ports: -p 8888:8888 -p 6006:6006',
      'environment = -e PYTHONPATH=/src',
      'env = dev_env',
      'args = --shm-size 2g --ulimit memlock=-1',
      "cmd = jupyter lab --ip 0.0.0.0 --NotebookApp.token=''",
      'image_repo = aws',
      'publication_tag = {account}.dkr.ecr.{region}.amazonaws.com/{image}:{tag}',
      '',
      '[dev_env]',
      'API_TOKEN = $API_TOKEN',
      'DATABASE_URL = postgres://shop@db:5432/shop',
      '',
      '[run_image]',
      'synthetic_images = shell, notebook',
      '',
      '[shell]',
      'name = dev',
      'cmd = bash',
      '',
      '[notebook]',
      'name = jupyter/base-notebook',
      'prefix = False',
      'keep_container = yes',
      '',
    ].join('\n'),
  },
];

/** A cfg of `sections` image sections, each with continuation lines, `:` separators and interpolation. */
function largeCfg(sections: number): string {
  const parts = ['[DEFAULT]', 'tag = latest', 'registry = registry.example.com', ''];
  for (let index = 0; index < sections; index += 1) {
    parts.push(
      `[image${index}]`,
      `name = image-${index}`,
      'volumes = -v {project_root}:/src',
      `          -v {home}/.cache/${index}:/root/.cache`,
      `          -v /data/${index}:/data:ro`,
      `ports: -p ${10000 + index}:8080`,
      `environment = -e INDEX=${index} -e MODE=test`,
      'args = --shm-size 1g --ulimit memlock=-1',
      `cmd = sh -c "serve --port 8080 --index ${index}"`,
      'publication_tag = %(registry)s/%(name)s:{tag}',
      '',
    );
  }
  return parts.join('\n');
}

// The ground truth: configparser as the Python dockerutils uses it. Also times the large cfg there.
const pythonScript = `
import configparser, json, sys, time
def parser(text):
    p = configparser.ConfigParser()
    p.optionxform = str
    p.read_string(text)
    return p
def read(text):
    try:
        p = parser(text)
        return {'sections': {s: {k: p.get(s, k) for k in p[s]} for s in p.sections()}}
    except configparser.Error as error:
        return {'error': type(error).__name__ + ': ' + str(error).splitlines()[0]}
request = json.load(sys.stdin)
times = []
for _ in range(request['runs']):
    start = time.perf_counter()
    parser(request['large'])
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print(json.dumps({'results': [read(text) for text in request['cases']], 'largeMedianMs': times[len(times) // 2]}))
`;

function readWithOurs(text: string): Outcome {
  try {
    const { cfg, problems } = parseCfg(text, 'dockerutils.cfg');
    if (problems.length > 0)
      throw new Error(problems.map((problem) => `line ${problem.line}: ${problem.message}`).join('\n'));
    const sections: Sections = {};
    for (const name of cfg.sections.keys()) {
      sections[name] = Object.fromEntries(cfgKeys(cfg, name).map((key) => [key, getCfgValue(cfg, name, key)!.value]));
    }
    return { sections };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0]! };
  }
}

// What a user of `ini` reads: parse(text)[section][key]. Non-string results (true for a line without
// "=", nested objects for dotted names, arrays) are shown as JSON.
function readWithIni(text: string): Outcome {
  try {
    const parsed = ini.parse(text) as Record<string, unknown>;
    const sections: Sections = {};
    for (const [name, value] of Object.entries(parsed)) {
      const isSection = typeof value === 'object' && value !== null && !Array.isArray(value);
      const entries = isSection ? Object.entries(value) : [[name, value] as const];
      const target = (sections[isSection ? name : '(before any section)'] ??= {});
      for (const [key, item] of entries) target[key] = typeof item === 'string' ? item : JSON.stringify(item);
    }
    return { sections };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0]! };
  }
}

function matches(outcome: Outcome, truth: Outcome): boolean {
  if ('error' in truth) return 'error' in outcome;
  return 'sections' in outcome && isDeepStrictEqual(outcome.sections, truth.sections);
}

const show = (outcome: Outcome): string =>
  'error' in outcome ? `error: ${outcome.error}` : JSON.stringify(outcome.sections);

function medianMs(run: () => unknown): number {
  run();
  const times: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const large = largeCfg(largeSectionCount);
const python = JSON.parse(
  execFileSync('python3', ['-c', pythonScript], {
    input: JSON.stringify({ cases: cases.map((entry) => entry.text), large, runs }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }),
) as { results: Outcome[]; largeMedianMs: number };

let oursMatching = 0;
let iniMatching = 0;
cases.forEach((entry, index) => {
  const truth = python.results[index]!;
  const ours = readWithOurs(entry.text);
  const fromIni = readWithIni(entry.text);
  const oursOk = matches(ours, truth);
  const iniOk = matches(fromIni, truth);
  if (oursOk) oursMatching += 1;
  if (iniOk) iniMatching += 1;
  console.log(`== ${entry.name}`);
  console.log(
    entry.text
      .trimEnd()
      .split('\n')
      .map((line) => `   | ${line}`)
      .join('\n'),
  );
  console.log(`   configparser       ${show(truth)}`);
  console.log(`   cfg-file.ts  ${oursOk ? 'same ' : 'DIFF '} ${oursOk ? '' : show(ours)}`);
  console.log(`   ini@5        ${iniOk ? 'same ' : 'DIFF '} ${iniOk ? '' : show(fromIni)}`);
  console.log('');
});
console.log(
  `matches configparser: cfg-file.ts ${oursMatching}/${cases.length}, ini@5 ${iniMatching}/${cases.length}\n`,
);

const sizeKiB = Math.round(Buffer.byteLength(large) / 1024);
const oursParseMs = medianMs(() => parseCfg(large, 'large.cfg'));
const oursReadAllMs = medianMs(() => readWithOurs(large));
const iniParseMs = medianMs(() => ini.parse(large));
console.log(`large cfg: ${largeSectionCount} sections, ${sizeKiB} KiB; median of ${runs} runs`);
const row = (label: string, ms: number): void =>
  console.log(`${label.padEnd(46)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / iniParseMs).toFixed(2)}x ini.parse`);
row('ini.parse', iniParseMs);
row('cfg-file.ts parseCfg', oursParseMs);
row('cfg-file.ts parseCfg + every value interpolated', oursReadAllMs);
row('Python configparser read_string (python3)', python.largeMedianMs);
