/**
 * Secrets at rest: AES-256-GCM with a per-installation key in `secret.key` (mode 0600).
 * Values are stored as `enc:v1:<base64 iv|tag|ciphertext>`; nothing here ever logs a value.
 */
export { SecretBox, openSecretBox, isEncrypted } from './secret-box.js';
