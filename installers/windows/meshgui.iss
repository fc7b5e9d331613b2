; Inno Setup script of the Windows installer: packs the PyInstaller bundle built from the same
; spec as on Linux (installers/pyinstaller/meshgui.spec). NOT buildable on the project's Linux
; machines; see installers/README.md ("Windows") for the steps and what to keep in step.
;
; On Windows, from the repository root:
;   py -3.11 -m venv .venv && .venv\Scripts\pip install -e .[installer] pillow
;   .venv\Scripts\python -c "from PIL import Image; Image.open('resources/icons/meshgui-256.png').save('build/meshgui.ico', sizes=[(16, 16), (32, 32), (48, 48), (256, 256)])"
;   .venv\Scripts\pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller installers\pyinstaller\meshgui.spec
;   for /f %v in ('.venv\Scripts\python -c "import importlib.metadata as m; print(m.version(\"meshgui\"))"') do set MESHGUI_VERSION=%v
;   iscc /DAppVersion=%MESHGUI_VERSION% installers\windows\meshgui.iss
; -> dist\meshgui-<version>-windows-x64-setup.exe

#ifndef AppVersion
  #error Pass the version from the package metadata: iscc /DAppVersion=X.Y.Z meshgui.iss
#endif
#define AppName "meshgui"
#define Bundle "..\..\dist\meshgui"

[Setup]
AppId={{6F0C6A52-3D0B-4E7B-9C55-2A1F4B9E8D17}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=meshgui maintainers
DefaultDirName={autopf}\meshgui
DefaultGroupName=meshgui
DisableProgramGroupPage=yes
; Per-user install by default (no admin prompt); an administrator may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=meshgui-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\meshgui.ico
UninstallDisplayIcon={app}\meshgui.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: meshgui.exe and _internal\ (Python, Qt, the sidecar, the demo).
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\meshgui"; Filename: "{app}\meshgui.exe"
Name: "{autoprograms}\meshgui (demo mesh)"; Filename: "{app}\meshgui.exe"; Parameters: "--demo"
Name: "{autodesktop}\meshgui"; Filename: "{app}\meshgui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\meshgui.exe"; Description: "{cm:LaunchProgram,meshgui}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer put there; the user's settings and keyring entries stay.
Type: filesandordirs; Name: "{app}\_internal"
