import FlotillaKit
print("placeholder")
