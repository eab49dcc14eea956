/** waveform-data's ES module build, imported by its path: test runners that ignore `browser` take it too. */
declare module "waveform-data/dist/waveform-data.esm.js" {
  import WaveformData from "waveform-data";
  export default WaveformData;
}
