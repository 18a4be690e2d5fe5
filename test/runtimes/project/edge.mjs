// edge-runtime evaluates a script, not a module, and dispatches requests as fetch events.
import { answer } from './answer.mjs';

addEventListener('fetch', (event) => event.respondWith(answer(event.request)));
