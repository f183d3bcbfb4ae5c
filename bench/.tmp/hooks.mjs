export async function load(url, context, next) {
  if (url.includes('/tmp/b4/out/dist/')) process.stderr.write('LOAD ' + url.replace(/.*\//, '') + '\n')
  return next(url, context)
}
