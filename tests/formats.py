"""Month names as readers of each language write them, for asserting dates relative to today."""

MONTHS_NB = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember"]  # fmt: skip
MONTHS_NN = MONTHS_NB
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]  # fmt: skip
