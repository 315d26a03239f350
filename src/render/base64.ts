/** Helm values and Secrets carry PEM and key lines base64-encoded. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
