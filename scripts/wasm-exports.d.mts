// Types of wasm-exports.mjs (the build script reads the export list as text, so it stays plain JS).
export type ExportGroups = Record<string, readonly string[]>
export const LIST_FILE: string
export const INDEX_FILE: string
export function parseExportGroups(text: string, name: string): ExportGroups
export function readExportList(text: string): { kernels: ExportGroups; helpers: ExportGroups; names: string[] }
export function readExportListFile(root: string | URL): { kernels: ExportGroups; helpers: ExportGroups; names: string[] }
export function assemblyIndexSource(list: { kernels: ExportGroups; helpers: ExportGroups }): string
