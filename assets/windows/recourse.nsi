; The Windows installer: recourse-setup.exe, built by `bash .ci/package-windows` with NSIS's
; makensis (Debian's `nsis`). It installs recourse.exe for all users under Program Files, adds
; a Start-menu entry and an entry in Settings → Apps with an uninstaller. The uninstaller
; removes the program only: the user's cases, evidence and keys in %APPDATA%\recourse are
; theirs and stay.
;
; Defines passed by the script: VERSION (1.2.3), SRC (the folder holding the files), OUT (the
; installer's path), ICON (the .ico).

; A 64-bit installer for a 64-bit program (it also runs under Wine without its 32-bit half).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\recourse"

Name "recourse"
Caption "recourse ${VERSION}"
OutFile "${OUT}"
InstallDir "$PROGRAMFILES64\recourse"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
BrandingText "recourse ${VERSION}"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "recourse"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "recourse ${VERSION} setup"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
; "Run recourse" on the last page starts it through Explorer, as the signed-in user: started
; by the installer it would run as administrator (its data in the approving admin's profile,
; and no drag and drop from Explorer into it).
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_FUNCTION RunAsUser

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default; the installer follows the Windows display language.
!insertmacro MUI_LANGUAGE "Korean"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetRegView 64
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function RunAsUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\recourse.exe"'
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "recourse" SecMain
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "${SRC}\recourse.exe"
  File "${SRC}\OFL.txt"
  File "${SRC}\README.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\recourse.lnk" "$INSTDIR\recourse.exe" "" "$INSTDIR\recourse.exe" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "recourse"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "recourse"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\recourse.exe,0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\recourse.lnk"
  Delete "$INSTDIR\recourse.exe"
  Delete "$INSTDIR\OFL.txt"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\uninstall.exe"
  ; Only if empty: never a folder the user put files in.
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  ; %APPDATA%\recourse (the user's cases and evidence) is deliberately left alone.
SectionEnd
