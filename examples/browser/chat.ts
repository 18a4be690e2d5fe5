// The browser side of examples/edge-proxy.ts: post the conversation, render the reply as it
// streams. No API key here; the proxy holds it.
import { parseServerSentEvents } from 'openai-chat-fetch';

/** Sends `text` to the proxy at `endpoint` and calls `onText` with the reply so far, piece by piece. */
export async function streamChat(endpoint: string, text: string, onText: (soFar: string) => void, signal?: AbortSignal): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: text }] }),
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`The proxy answered ${response.status}: ${await response.text()}`);
  let reply = '';
  // `for await` works in Safari too: the SDK's streams bring their own iterator where the
  // engine has none (WebKit up to Safari 26).
  for await (const chunk of parseServerSentEvents(response.body)) {
    reply += chunk.choices[0]?.delta.content ?? '';
    onText(reply);
  }
  return reply;
}

/** Wires the page's form (see index.html) to the proxy. */
export function mount(document: Document, endpoint = '/api/chat'): void {
  const form = document.querySelector('form')!;
  const input = document.querySelector('input')!;
  const output = document.querySelector('output')!;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    output.textContent = '';
    output.dataset.state = 'streaming';
    streamChat(endpoint, input.value, (soFar) => (output.textContent = soFar)).then(
      () => (output.dataset.state = 'done'),
      (error: Error) => {
        output.dataset.state = 'error';
        output.textContent = error.message;
      },
    );
  });
}
