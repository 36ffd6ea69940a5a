const loaded = new Map<string, Promise<void>>();

/**
 * A script beside index.html, loaded once by a script element (a classic script loads from
 * file:// too); a failed load may be tried again.
 */
export function loadScript(file: string): Promise<void> {
  let loading = loaded.get(file);
  if (loading === undefined) {
    loading = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = file;
      script.addEventListener('load', () => resolve());
      script.addEventListener('error', () => {
        loaded.delete(file);
        script.remove();
        reject(new Error(`${file} could not be loaded`));
      });
      document.head.append(script);
    });
    loaded.set(file, loading);
  }
  return loading;
}
