/** `text`, or its first `max` characters and how many were left out: what is echoed of caller input. */
export function truncateText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[${text.length - max} more characters]`;
}
