/** A `.wasm` file imported as a module (workerd, edge platforms): its default export is the compiled module. */
declare module '*.wasm' {
  const module: WebAssembly.Module
  export default module
}
