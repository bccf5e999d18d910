export async function runSshBench(): Promise<void> {
  console.log('== ssh: not written yet');
}
