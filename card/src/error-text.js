/** A readable message from a websocket error, a service error or an Error. */
export function errorText(err) {
  if (!err) return "unknown error";
  if (typeof err === "string") return err;
  if (err.message) return err.message;
  if (err.code) return String(err.code);
  return String(err);
}
