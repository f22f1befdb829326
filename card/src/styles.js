/** The card's styles: Home Assistant's theme variables throughout, so light and dark both work. */
import { css } from "lit";

export const cardStyles = css`
  :host {
    display: block;
    --fc-gap: 12px;
    --fc-muted: var(--secondary-text-color, #727272);
    --fc-line: var(--divider-color, rgba(0, 0, 0, 0.12));
    --fc-field: var(--secondary-background-color, #f0f0f0);
    --fc-accent: var(--primary-color, #03a9f4);
    --fc-on-accent: var(--text-primary-color, #fff);
    --fc-mono: var(--code-font-family, ui-monospace, "Roboto Mono", Menlo, Consolas, monospace);
    color-scheme: light;
  }
  :host([dark-mode]) {
    color-scheme: dark;
  }
  ha-card {
    display: block;
    overflow: hidden;
    color: var(--primary-text-color, #212121);
  }
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 16px 16px 0;
  }
  h2 {
    flex: 1;
    margin: 0;
    font-size: var(--ha-card-header-font-size, 1.5rem);
    font-weight: 400;
    line-height: 1.3;
    overflow-wrap: anywhere;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 1rem;
    font-weight: 500;
  }
  section {
    padding: var(--fc-gap) 16px;
    border-top: 1px solid var(--fc-line);
  }
  section:first-of-type {
    border-top: none;
  }
  .badge {
    flex: none;
    padding: 2px 10px;
    border-radius: 12px;
    font-size: 0.85rem;
    background: var(--fc-field);
    color: var(--fc-muted);
  }
  .badge.connected {
    background: var(--success-color, #43a047);
    color: #fff;
  }
  .badge.unavailable {
    background: var(--error-color, #db4437);
    color: #fff;
  }
  .feed {
    margin: 8px 16px 0;
    padding: 6px 10px;
    border-radius: 8px;
    background: var(--fc-field);
    color: var(--fc-muted);
    font-size: 0.9rem;
  }
  .feed.error {
    color: var(--error-color, #db4437);
  }
  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
    gap: 8px var(--fc-gap);
    margin: 0;
  }
  .facts div {
    min-width: 0;
  }
  dt {
    font-size: 0.8rem;
    color: var(--fc-muted);
  }
  dd {
    margin: 2px 0 0;
    overflow-wrap: anywhere;
  }
  .swatch {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    margin-right: 6px;
    border: 1px solid var(--fc-line);
    border-radius: 50%;
    vertical-align: -0.1em;
  }
  .controls {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
    gap: var(--fc-gap);
  }
  .field {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 8px;
  }
  .field > label:first-child,
  .field > .label {
    flex: 1 0 100%;
    font-size: 0.85rem;
    color: var(--fc-muted);
  }
  .moods {
    margin-top: var(--fc-gap);
    display: grid;
    grid-template-columns: minmax(90px, auto) 1fr 3ch;
    align-items: center;
    gap: 4px 8px;
  }
  .moods label {
    font-size: 0.9rem;
  }
  .moods output {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  input[type="range"] {
    width: 100%;
    min-width: 0;
    accent-color: var(--fc-accent);
  }
  input[type="checkbox"] {
    accent-color: var(--fc-accent);
  }
  button,
  select,
  input[type="search"],
  input[type="color"] {
    font: inherit;
    color: inherit;
    min-height: 36px;
    border-radius: 8px;
    border: 1px solid var(--fc-line);
    background: var(--fc-field);
  }
  select,
  input[type="search"] {
    padding: 0 8px;
    min-width: 0;
  }
  input[type="color"] {
    width: 48px;
    padding: 2px;
  }
  button {
    padding: 0 14px;
    cursor: pointer;
  }
  button.primary,
  button[aria-checked="true"] {
    background: var(--fc-accent);
    border-color: var(--fc-accent);
    color: var(--fc-on-accent);
  }
  button:disabled,
  select:disabled,
  input:disabled {
    opacity: 0.5;
    cursor: default;
  }
  :is(button, select, input, .log, .drop):focus-visible {
    outline: 2px solid var(--fc-accent);
    outline-offset: 2px;
  }
  .row-of-buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .search {
    display: grid;
    grid-template-columns: 1fr minmax(0, 14em);
    gap: 8px;
    margin-top: var(--fc-gap);
  }
  .search label {
    display: block;
    font-size: 0.85rem;
    color: var(--fc-muted);
    margin-bottom: 2px;
  }
  .search input,
  .search select {
    width: 100%;
    box-sizing: border-box;
  }
  .hint {
    margin: 6px 0;
    font-size: 0.85rem;
    color: var(--fc-muted);
  }
  .results {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: 240px;
    overflow-y: auto;
    border: 1px solid var(--fc-line);
    border-radius: 8px;
  }
  .results li {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 4px 8px;
    border-top: 1px solid var(--fc-line);
  }
  .results li:first-child {
    border-top: none;
  }
  .results .what {
    flex: 1;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .results .meta {
    display: block;
    font-size: 0.8rem;
    color: var(--fc-muted);
  }
  .results button {
    flex: none;
  }
  .drop {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
    padding: 12px;
    border: 2px dashed var(--fc-line);
    border-radius: 8px;
  }
  .drop.over {
    border-color: var(--fc-accent);
    background: var(--fc-field);
  }
  .drop input[type="file"] {
    max-width: 100%;
  }
  progress {
    width: 100%;
    height: 12px;
    accent-color: var(--fc-accent);
  }
  .figures {
    font-size: 0.9rem;
    font-variant-numeric: tabular-nums;
    color: var(--fc-muted);
  }
  .error-text {
    color: var(--error-color, #db4437);
  }
  .log-toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin-bottom: 8px;
  }
  .log-toolbar h3 {
    margin: 0 4px 0 0;
  }
  .log-toolbar .stats {
    margin-left: auto;
    font-size: 0.85rem;
    color: var(--fc-muted);
  }
  .log {
    height: 260px;
    overflow-y: auto;
    contain: strict;
    font-family: var(--fc-mono);
    font-size: 12px;
    line-height: 18px;
    border: 1px solid var(--fc-line);
    border-radius: 8px;
    background: var(--primary-background-color, #fafafa);
  }
  .log .spacer {
    position: relative;
  }
  .log .window {
    position: absolute;
    top: 0;
    left: 0;
    right: 0;
    will-change: transform;
  }
  .log .row {
    display: flex;
    gap: 8px;
    height: 18px;
    padding: 0 8px;
    overflow: hidden;
    white-space: nowrap;
  }
  .log .row .h:empty {
    display: none;
  }
  .log .row span {
    flex: none;
  }
  .log .row .x {
    flex: 1 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .log .row .l {
    width: 7ch;
    text-transform: uppercase;
  }
  .log .row .k {
    width: 10ch;
    color: var(--fc-muted);
  }
  .log .row .t,
  .log .row .h {
    color: var(--fc-muted);
  }
  .log .row.debug .l {
    color: var(--fc-muted);
  }
  .log .row.warning .l {
    color: var(--warning-color, #ffa600);
  }
  .log .row.error .l,
  .log .row.error .x {
    color: var(--error-color, #db4437);
  }
  .notice {
    min-height: 1.4em;
    padding: 0 16px 12px;
    font-size: 0.9rem;
    color: var(--fc-muted);
  }
  .notice.error {
    color: var(--error-color, #db4437);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @media (max-width: 450px) {
    .header,
    section {
      padding-left: 12px;
      padding-right: 12px;
    }
    .search {
      grid-template-columns: 1fr;
    }
    .log .row .k,
    .log .row .h {
      display: none;
    }
  }
`;
