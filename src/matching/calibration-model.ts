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
    0.8322,
    0.6491,
    0.5578,
    0.1517,
    0.1164,
    0.2047,
    0.2501,
    0.0359,
    2.5813,
    0.5207,
    0.2346,
    0.4728,
    0.4294,
    0.2476,
    0.8073
  ],
  "scale": [
    0.1937,
    0.2568,
    0.2693,
    0.1373,
    0.1706,
    0.2417,
    0.1811,
    0.1138,
    0.4626,
    0.331,
    0.3434,
    0.3535,
    0.3693,
    0.33,
    0.3944
  ],
  "weights": [
    0.4111,
    -0.0111,
    0.0814,
    0.3796,
    0.5427,
    -0.0338,
    -0.271,
    -0.1334,
    0.2816,
    -0.2261,
    0.2739,
    0.3598,
    0.7677,
    -1.0742,
    0.4486
  ],
  "bias": 0.9691,
  "fitted": {
    "date": "2026-11-30",
    "entries": 47,
    "folds": 5,
    "heldOutAlternates": 1555,
    "heldOutFoundTheirEntry": 1423,
    "outOfScope": 448
  }
};
