// The page side of examples/relay.ts: this SDK, unchanged, with the relay as its baseURL and no
// key. The relay knows who is asking from the session cookie the page sends by itself.
import { createChatCompletion } from 'openai-chat-fetch';
import type { RequestOptions } from 'openai-chat-fetch';

/** Sends `text` through the relay (`options.baseURL`) and calls `onText` with the reply so far, piece by piece. */
export async function streamChat(text: string, onText: (soFar: string) => void, options: RequestOptions): Promise<string> {
  const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }], stream: true }, options);
  let reply = '';
  // `for await` works in Safari too: the SDK's streams bring their own iterator where the
  // engine has none (WebKit up to Safari 26).
  for await (const chunk of stream) {
    reply += chunk.choices[0]?.delta.content ?? '';
    onText(reply);
  }
  return reply;
}

/** Wires the page's form (see index.html) to the relay at `path` on the page's own site. */
export function mount(document: Document, path = '/api/v1'): void {
  const form = document.querySelector('form')!;
  const input = document.querySelector('input')!;
  const output = document.querySelector('output')!;
  // The SDK takes an absolute baseURL: the relay's, resolved against the page.
  const baseURL = new URL(path, document.baseURI).href;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    output.textContent = '';
    output.dataset.state = 'streaming';
    streamChat(input.value, (soFar) => (output.textContent = soFar), { baseURL }).then(
      () => (output.dataset.state = 'done'),
      (error: Error) => {
        output.dataset.state = 'error';
        output.textContent = error.message;
      },
    );
  });
}
