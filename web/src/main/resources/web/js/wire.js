// Moved into the SDK (sdk/wire.js); kept at this path for pages and tests that import it here.
export * from '../sdk/wire.js';
