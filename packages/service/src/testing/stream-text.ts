/** A streamed response's whole text, once it ends (a test reads streams that end: `follow=false`). */
export async function streamText(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}
