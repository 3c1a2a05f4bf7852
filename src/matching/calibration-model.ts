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
    0.8312,
    0.6474,
    0.5561,
    0.1541,
    0.1231,
    0.2006,
    0.2563,
    0.0368,
    2.58,
    0.5165,
    0.2286,
    0.4703,
    0.4262,
    0.2471,
    0.8003
  ],
  "scale": [
    0.1951,
    0.2581,
    0.2707,
    0.139,
    0.172,
    0.2412,
    0.1843,
    0.1155,
    0.4648,
    0.3313,
    0.3427,
    0.3538,
    0.3697,
    0.3288,
    0.3998
  ],
  "weights": [
    0.4454,
    0.0025,
    0.1089,
    0.3686,
    0.5531,
    -0.0638,
    -0.2566,
    -0.1274,
    0.2891,
    -0.2102,
    0.2292,
    0.3929,
    0.7724,
    -1.0737,
    0.4739
  ],
  "bias": 1.0113,
  "fitted": {
    "date": "2026-11-30",
    "entries": 46,
    "folds": 5,
    "heldOutAlternates": 1525,
    "heldOutFoundTheirEntry": 1398,
    "outOfScope": 448
  }
};
