/**
 * The card's DLC upload: file picker and drop zone, the POST to Home Assistant (cancellable while
 * it runs), the `upload_dlc` call, and cancelling a running transfer (`cancel_upload`). The
 * transfer's progress itself arrives in the Furby's status.
 */
import { DOMAIN } from "./config.js";
import { errorText } from "./error-text.js";
import { fileProblem, sendToHomeAssistant } from "./upload.js";

export class DlcUploader {
  /** @param {import("lit").ReactiveControllerHost & object} host the card */
  constructor(host) {
    this.host = host;
    this.sending = null; // {filename, abort} while the file goes to Home Assistant
    this.error = "";
    this.activate = true;
    this.dragOver = false;
  }

  set(changes) {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }

  onActivate = (e) => this.set({ activate: e.target.checked });

  onFileChosen = (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = "";
    if (file) this.upload(file);
  };

  onDragOver = (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
    if (!this.dragOver) this.set({ dragOver: true });
  };

  onDragLeave = () => this.set({ dragOver: false });

  onDrop = (e) => {
    e.preventDefault();
    this.set({ dragOver: false });
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (file) this.upload(file);
  };

  onCancel = () => {
    if (this.sending) {
      this.sending.abort.abort();
      return;
    }
    this.host._furby("cancel_upload", {}, "Upload cancelled");
  };

  /** Check `file`, send it to Home Assistant, then start `upload_dlc` with its file id. */
  async upload(file) {
    const { _hass: hass, _config: config } = this.host;
    const problem =
      fileProblem(file) ??
      (hass.user && hass.user.is_admin === false ? "Uploads need an administrator account." : null) ??
      (this.host._status ? null : "The Furby's status has not arrived yet; try again in a moment.");
    this.set({ error: problem ?? "" });
    if (problem || this.sending) return;
    const abort = new AbortController();
    this.set({ sending: { filename: file.name, abort } });
    try {
      const fileId = await sendToHomeAssistant(hass, file, abort.signal);
      if (abort.signal.aborted) throw new Error("aborted");
      await hass.callService(DOMAIN, "upload_dlc", {
        device_id: config.device_id,
        file_id: fileId,
        activate: this.activate,
      });
      this.host._notice = { text: `Upload of ${file.name} started`, error: false };
    } catch (err) {
      this.error = abort.signal.aborted ? "Upload cancelled." : errorText(err);
    } finally {
      this.set({ sending: null });
    }
  }
}
