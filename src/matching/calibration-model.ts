import type { CalibrationModel } from './calibration.js';

// Written by `npm run calibrate`; do not edit by hand.
export const CALIBRATION_MODEL: CalibrationModel = {
  "features": [
    "queryCoverage",
    "questionCoverage",
    "coverageProduct",
    "margin",
    "queryCoverageMargin",
    "questionCoverageMargin",
    "distinctiveness",
    "unknownShare",
    "length",
    "keyCoverage",
    "keyCoverageMargin"
  ],
  "mean": [
    0.8155,
    0.6161,
    0.5176,
    0.1638,
    0.1332,
    0.2095,
    0.2539,
    0.0604,
    2.5477,
    0.4953,
    0.2246
  ],
  "scale": [
    0.2037,
    0.2521,
    0.2552,
    0.1386,
    0.1728,
    0.2415,
    0.1852,
    0.1527,
    0.4637,
    0.324,
    0.343
  ],
  "weights": [
    0.7967,
    0.175,
    0.3169,
    0.4334,
    0.5671,
    0.0136,
    0.1136,
    -0.0784,
    0.2182,
    0.653,
    0.4609
  ],
  "bias": 0.6846,
  "fitted": {
    "date": "2026-11-27",
    "entries": 46,
    "heldOutAlternates": 1357,
    "heldOutFoundTheirEntry": 1155,
    "outOfScope": 295
  }
};
