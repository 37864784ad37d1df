// `npm start`: the server, compiled when the build is current (scripts/compiled.mjs).
import { importPlaza } from './compiled.mjs';

await importPlaza('server');
