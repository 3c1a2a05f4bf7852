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
    0.8314,
    0.6474,
    0.5561,
    0.154,
    0.123,
    0.2005,
    0.256,
    0.0363,
    2.58,
    0.5165,
    0.2287,
    0.4703,
    0.4262,
    0.2471,
    0.8003
  ],
  "scale": [
    0.1946,
    0.2582,
    0.2707,
    0.1391,
    0.1721,
    0.2412,
    0.1837,
    0.1141,
    0.4648,
    0.3313,
    0.3427,
    0.3538,
    0.3696,
    0.3288,
    0.3998
  ],
  "weights": [
    0.446,
    0.0026,
    0.1085,
    0.369,
    0.5536,
    -0.0637,
    -0.2554,
    -0.1234,
    0.2897,
    -0.2096,
    0.2285,
    0.3939,
    0.7709,
    -1.0733,
    0.4744
  ],
  "bias": 1.0124,
  "fitted": {
    "date": "2026-11-30",
    "entries": 46,
    "folds": 5,
    "heldOutAlternates": 1525,
    "heldOutFoundTheirEntry": 1398,
    "outOfScope": 448
  }
};
