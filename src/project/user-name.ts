import { userInfo } from 'node:os';

/**
 * The login name, looked up as Python's getpass.getuser() does (LOGNAME, USER, LNAME, USERNAME,
 * then the password database), so image tags and container names match the Python dockerutils.
 */
export function currentUserName(env: NodeJS.ProcessEnv): string {
  for (const name of ['LOGNAME', 'USER', 'LNAME', 'USERNAME']) {
    const value = env[name];
    if (value) return value;
  }
  return userInfo().username;
}
