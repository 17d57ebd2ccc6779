/// The program's version, printed by `soundloc --version`; the only place it is stated.
let soundlocVersion = "0.9.0"
