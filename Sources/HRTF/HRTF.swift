// HRTF: SOFA reading and binaural rendering (see issue 8).
