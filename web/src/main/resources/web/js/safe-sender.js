// Moved into the SDK (sdk/safe-sender.js); kept at this path for pages and tests that import it here.
export * from '../sdk/safe-sender.js';
