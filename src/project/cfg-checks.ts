import { isAbsolute, posix } from 'node:path';
import { UserError } from '../errors.js';
import {
  cfgKeys,
  getCfgValue,
  isCfgBooleanWord,
  describeLocation,
  type CfgFile,
  type CfgProblem,
  type CfgValue,
} from './cfg-file.js';
import { closestName } from './closest-name.js';
import { serviceKeyProblems, serviceKeys } from './service-keys.js';
import { staticValueProblems } from './words.js';

/** Keys whose value is a command-line fragment split into words (each also as `<key>_docked`). */
export const wordKeys = ['environment', 'interactive', 'gpu', 'volumes', 'ports', 'args', 'cmd', 'build_args'];
/** Keys that say yes or no, in configparser's getboolean words. */
export const booleanKeys = ['keep_container', 'prefix', 'pull_FROM_on_force'];

/**
 * Every problem of a cfg that does not depend on the environment, syntax included, each with its
 * file and line, so that one run shows them all. Unset environment variables are reported when a
 * command uses the section, since another machine may set them.
 */
export function checkCfg(
  cfg: CfgFile,
  syntaxProblems: readonly CfgProblem[],
  named: Readonly<Record<string, string>>,
  images?: readonly string[],
): void {
  const problems = syntaxProblems.map((problem) => ({
    line: problem.line,
    text: `${cfg.path}:${problem.line}: ${problem.message}`,
  }));
  const add = (value: CfgValue, texts: readonly string[]): void => {
    for (const text of texts) problems.push({ line: value.line, text });
  };
  for (const section of cfg.sections.keys()) {
    for (const key of cfgKeys(cfg, section)) {
      let value: CfgValue | undefined;
      try {
        value = getCfgValue(cfg, section, key);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        const line = cfg.sections.get(section)?.get(key)?.line ?? cfg.defaults.get(key)?.line ?? 0;
        problems.push({ line, text: error.message });
        continue;
      }
      if (value === undefined) continue;
      const base = key.replace(/_docked$/, '');
      if (wordKeys.includes(base)) add(value, staticValueProblems(value, named));
      else if (base === 'init' && !isCfgBooleanWord(value.value)) add(value, staticValueProblems(value, named));
      else if (booleanKeys.includes(key) && !isCfgBooleanWord(value.value)) {
        add(value, [
          `${describeLocation(value)}: "${value.value}" is not a yes or no: write 1/yes/true/on or 0/no/false/off`,
        ]);
      } else if (serviceKeys.includes(key)) {
        add(value, serviceKeyProblems(value));
      } else if (key === 'version_file' && versionFileProblem(value.value) !== undefined) {
        add(value, [`${describeLocation(value)}: ${versionFileProblem(value.value)}`]);
      } else if (base === 'env' && !cfg.sections.has(value.value.trim())) {
        add(value, [`${describeLocation(value)}: no section [${value.value.trim()}] in the cfg`]);
      } else {
        add(value, stackKeyProblems(value, base, named, images));
      }
    }
  }
  if (problems.length === 0) return;
  const texts = [...new Set(problems.sort((a, b) => a.line - b.line).map((problem) => problem.text))];
  throw new UserError(texts.join('\n'));
}

/** Keys of stacks (up-containers) that name images of the project. */
const imageListKeys = ['depends_on', 'uses'];

// depends_on, uses, instances, exec_commands: the keys of up-containers.
function stackKeyProblems(
  value: CfgValue,
  base: string,
  named: Readonly<Record<string, string>>,
  images: readonly string[] | undefined,
): string[] {
  if (imageListKeys.includes(value.key) && images !== undefined) {
    return value.value
      .split(/[,\s]+/)
      .filter((name) => name !== '' && !images.includes(name))
      .map((name) => {
        const suggestion = closestName(name, images);
        return `${describeLocation(value)}: unknown image "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; images: ${images.join(', ') || 'none'}`;
      });
  }
  if (base === 'instances' && !/^\s*[1-9]\d*\s*$/.test(value.value))
    return [
      `${describeLocation(value)}: "${value.value}" is not a number of containers: write a whole number, 1 or more`,
    ];
  if (base === 'exec_commands')
    return value.value
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => staticValueProblems({ ...value, value: line }, named));
  return [];
}

/**
 * Why a `version_file` value cannot name a file in the build context (the project root), or
 * undefined when it can: it must be a relative path that stays inside.
 */
export function versionFileProblem(path: string): string | undefined {
  const normalized = posix.normalize(path.trim());
  if (path.trim() === '') return 'is empty: name a file relative to the project root';
  if (isAbsolute(path.trim()) || normalized === '..' || normalized.startsWith('../'))
    return `"${path.trim()}" is outside the build context: name a file relative to the project root`;
  return undefined;
}
