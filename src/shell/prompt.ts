/** `myproject @local> `: the project and the engine commands go to. */
export function shellPrompt(projectName: string, engine: string): string {
  return `${projectName} @${engine}> `;
}
