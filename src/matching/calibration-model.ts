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
    "keyCoverageMargin",
    "learned",
    "learnedMargin",
    "learnedNone",
    "learnedAgrees"
  ],
  "mean": [
    0.8175,
    0.6327,
    0.5367,
    0.1535,
    0.1248,
    0.1967,
    0.2534,
    0.0424,
    2.5545,
    0.5013,
    0.2154,
    0.4369,
    0.3913,
    0.2637,
    0.777
  ],
  "scale": [
    0.2028,
    0.2614,
    0.2724,
    0.1399,
    0.1751,
    0.239,
    0.1846,
    0.1242,
    0.4511,
    0.3348,
    0.3518,
    0.3482,
    0.3637,
    0.3337,
    0.4162
  ],
  "weights": [
    0.4986,
    0.0144,
    0.1151,
    0.3382,
    0.5552,
    -0.113,
    -0.2365,
    -0.1622,
    0.1955,
    -0.1686,
    0.289,
    0.3691,
    0.698,
    -1.1175,
    0.5355
  ],
  "bias": 0.819,
  "fitted": {
    "date": "2026-11-30",
    "entries": 46,
    "folds": 5,
    "heldOutAlternates": 1355,
    "heldOutFoundTheirEntry": 1229,
    "outOfScope": 448
  }
};
