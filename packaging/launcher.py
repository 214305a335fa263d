"""The bundle's entry point: exactly what the ``newsdesk`` console script runs."""

import multiprocessing

if __name__ == "__main__":
    # The export's worker processes (forkserver, or spawn) start this executable again with
    # multiprocessing's own arguments: in a frozen program only freeze_support() recognises
    # them (PyInstaller's runtime hook makes it do so on every platform); without it the
    # command line parser refused them and exports of pictures failed in the bundle.
    multiprocessing.freeze_support()

    from newsdesk.app import console

    console()
